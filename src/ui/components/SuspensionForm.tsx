/**
 * "My account was suspended after this requester's task." The worker may pick tasks
 * from the list of recent tasks kept only in this browser; only the picked ones are sent.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import type { RecentTask } from '../../core/extension-state.js';
import type { SuspensionReportInput } from '../../core/schemas.js';
import { t } from '../i18n.js';
import { describedBy, Field, FormFooter, StatusLine } from './fields.js';
import { formatDateTime, todayIso } from './format.js';
import { errorText, send } from './send.js';
import { useSubmit, type ServerError } from './use-submit.js';

export const MAX_PICKED_TASKS = 20;

interface PickableTask {
  taskId: string;
  taskTitle: string;
  requester: string;
  requesterName: string;
  seenAt: number | null;
}

export interface SuspensionFormProps {
  requester: { key: string; name: string };
  /** A report to edit (an outbox item the server refused). */
  initial?: SuspensionReportInput | null;
  replaces?: string;
  serverError?: ServerError | null;
  onDone: (delivered: boolean) => void;
  onCancel: () => void;
}

export function SuspensionForm(props: SuspensionFormProps) {
  const base = useId();
  const id = (name: string) => `${base}-${name}`;
  const initial = props.initial;
  const [suspendedOn, setSuspendedOn] = useState(initial?.suspendedOn ?? todayIso());
  const [reinstated, setReinstated] = useState(initial?.reinstated ?? false);
  const [note, setNote] = useState(initial?.note ?? '');
  const [picked, setPicked] = useState<Map<string, string>>(new Map((initial?.tasks ?? []).map((task) => [task.taskId, task.taskTitle])));
  const [showAll, setShowAll] = useState(false);
  const [recent, setRecent] = useState<RecentTask[] | null>(null);
  const [recentMessage, setRecentMessage] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const form = useSubmit({ replaces: props.replaces, serverError: props.serverError, onDone: props.onDone });

  async function loadRecent() {
    try {
      setRecent((await send('ui/recent-tasks', {})).tasks);
    } catch (error) {
      setRecent([]);
      setRecentMessage({ text: errorText(error), kind: 'error' });
    }
  }
  useEffect(() => void loadRecent(), []);

  async function clearRecent() {
    try {
      await send('ui/recent-tasks-clear', {});
      setRecent([]);
      setRecentMessage({ text: t('recentTasksCleared'), kind: 'ok' });
    } catch (error) {
      setRecentMessage({ text: errorText(error), kind: 'error' });
    }
  }

  // Recent tasks (this requester's unless "all"), plus picked ones no longer in the list.
  const tasks: PickableTask[] = (recent ?? [])
    .filter((task) => showAll || task.requester === props.requester.key)
    .map((task) => ({ ...task, seenAt: task.seenAt }));
  for (const [taskId, taskTitle] of picked) {
    if (!tasks.some((task) => task.taskId === taskId)) {
      tasks.push({ taskId, taskTitle, requester: props.requester.key, requesterName: props.requester.name, seenAt: null });
    }
  }

  function toggle(task: PickableTask, on: boolean) {
    const next = new Map(picked);
    if (on) next.set(task.taskId, task.taskTitle);
    else next.delete(task.taskId);
    setPicked(next);
  }

  function onSubmit(event: Event) {
    event.preventDefault();
    void form.submit({
      kind: 'suspension',
      payload: {
        requester: props.requester.key,
        requesterName: props.requester.name,
        tasks: [...picked].map(([taskId, taskTitle]) => ({ taskId, taskTitle })),
        suspendedOn,
        reinstated,
        note,
      },
    });
  }

  const errorFor = (name: string) => (form.invalid(name) ? form.error : null);
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={id('title')} data-form="suspension">
      <h2 id={id('title')}>{t('suspensionTitle')}</h2>
      <p>
        <span class="label">{t('fieldRequester')}: </span>
        <span data-field="requesterName">{props.requester.name}</span> <span class="muted small">({props.requester.key})</span>
      </p>
      <p class="muted small">{t('suspensionExplain')}</p>
      <Field id={id('date')} label={t('fieldSuspendedOn')} error={errorFor('suspendedOn')}>
        <input
          id={id('date')}
          type="date"
          name="suspendedOn"
          value={suspendedOn}
          max={todayIso()}
          aria-invalid={form.invalid('suspendedOn')}
          aria-describedby={describedBy(id('date'), null, errorFor('suspendedOn'))}
          onInput={(e) => setSuspendedOn(e.currentTarget.value)}
        />
      </Field>
      <label class="choice">
        <input type="checkbox" name="reinstated" checked={reinstated} onChange={(e) => setReinstated(e.currentTarget.checked)} /> {t('fieldReinstated')}
      </label>
      <fieldset>
        <legend>{t('suspensionTasksLegend')}</legend>
        <p class="muted small">{t('suspensionTasksExplain')}</p>
        <label class="choice">
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.currentTarget.checked)} /> {t('recentTasksShowAll')}
        </label>
        {recent === null ? (
          <p class="muted">{t('loading')}</p>
        ) : tasks.length === 0 ? (
          <p class="muted">{t('recentTasksNone')}</p>
        ) : (
          <ul class="plain" data-list="recent-tasks">
            {tasks.map((task) => {
              const checked = picked.has(task.taskId);
              return (
                <li key={task.taskId}>
                  <label class="choice">
                    <input
                      type="checkbox"
                      name="tasks"
                      value={task.taskId}
                      checked={checked}
                      disabled={!checked && picked.size >= MAX_PICKED_TASKS}
                      onChange={(e) => toggle(task, e.currentTarget.checked)}
                    />{' '}
                    <span>
                      {task.taskTitle || task.taskId}
                      <span class="muted small">
                        {task.requester !== props.requester.key ? ` — ${task.requesterName}` : ''}
                        {task.seenAt ? ` · ${formatDateTime(task.seenAt)}` : ''}
                      </span>
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
        )}
        <p class="muted small">{t('pickedCount', [String(picked.size), String(MAX_PICKED_TASKS)])}</p>
        <div class="actions">
          <button type="button" onClick={() => void clearRecent()}>
            {t('recentTasksClear')}
          </button>
        </div>
        <StatusLine message={recentMessage?.text ?? null} kind={recentMessage?.kind ?? 'info'} />
      </fieldset>
      <Field id={id('note')} label={t('fieldNoteModerators')} error={errorFor('note')}>
        <textarea id={id('note')} name="note" rows={3} value={note} aria-invalid={form.invalid('note')} onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
      <FormFooter error={form.error} busy={form.busy} sendLabel={t('sendReport')} onCancel={props.onCancel} />
    </form>
  );
}
