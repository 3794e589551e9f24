/**
 * "I was suspended." Needs no platform page — a suspended worker is locked out — so it
 * starts from the popup's home: the worker picks tasks from the work log kept only in this
 * browser, across requesters (each task keeps its own requester), and may name requesters
 * by id or link. One submission reports every requester involved; only the ticked tasks
 * are sent. Also edits a delivered report (`suspension-edit`) or a refused one.
 */
import { useId, useState } from 'preact/hooks';
import type { SuspensionReportInput } from '../../core/schemas.js';
import { uiLocale } from '../format.js';
import { t } from '../i18n.js';
import { describedBy, Field, FormFooter } from './fields.js';
import { todayIso } from './format.js';
import { NamedRequesters } from './NamedRequesters.js';
import { reportSizeWords } from './report-words.js';
import { picksFromPayload, pickId, reportCounts, reportPayload, weekLabel, type NamedRequester, type PickableTask } from './suspension-picks.js';
import { TaskPicker } from './TaskPicker.js';
import { useSubmit, type ServerError } from './use-submit.js';

export interface SuspensionFormProps {
  /** Opened from a requester's card on a task page: its tasks are ticked (none in the log: it is named). */
  requester?: { key: string; name: string } | null;
  /** A report to edit: a refused outbox item, or a delivered report (then `reportId`). */
  initial?: SuspensionReportInput | null;
  /** Editing this delivered report: sends `suspension-edit`. */
  reportId?: string | null;
  replaces?: string;
  serverError?: ServerError | null;
  onDone: (delivered: boolean) => void;
  onCancel: () => void;
}

function initialPicks(props: SuspensionFormProps): { tasks: Map<string, PickableTask>; named: NamedRequester[] } {
  const { tasks, named } = props.initial ? picksFromPayload(props.initial) : { tasks: [], named: [] };
  return { tasks: new Map(tasks.map((task) => [pickId(task), task])), named };
}

export function SuspensionForm(props: SuspensionFormProps) {
  const base = useId();
  const id = (name: string) => `${base}-${name}`;
  const initial = props.initial;
  const [suspendedOn, setSuspendedOn] = useState(initial?.suspendedOn ?? todayIso());
  const [reinstated, setReinstated] = useState(initial?.reinstated ?? false);
  const [note, setNote] = useState(initial?.note ?? '');
  const [picks] = useState(() => initialPicks(props));
  const [picked, setPicked] = useState<Map<string, PickableTask>>(picks.tasks);
  const [named, setNamed] = useState<NamedRequester[]>(picks.named);
  const form = useSubmit({ replaces: props.replaces, serverError: props.serverError, onDone: props.onDone });

  // Opened from a requester's card: its tasks in the log are ticked; with none there, the
  // requester itself is named, so the report still says whom it is about.
  const fromCard = initial || props.reportId ? null : (props.requester ?? null);
  const nameCardRequester = (found: number) => {
    if (found > 0 || !fromCard) return;
    setNamed((list) => (list.some((r) => r.requester === fromCard.key) ? list : [...list, { requester: fromCard.key as NamedRequester['requester'], requesterName: fromCard.name }]));
  };

  const payload = reportPayload({ tasks: picked.values(), named, suspendedOn, reinstated, note });
  const counts = reportCounts(payload);

  function onSubmit(event: Event) {
    event.preventDefault();
    if (counts.requesters === 0) {
      form.fail('tasks', t('reportNothingPicked'));
      return;
    }
    void form.submit(props.reportId ? { kind: 'suspension-edit', reportId: props.reportId, payload } : { kind: 'suspension', payload });
  }

  const errorFor = (name: string) => (form.invalid(name) ? form.error : null);
  const week = weekLabel(suspendedOn, uiLocale());
  const editing = Boolean(props.reportId);
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={id('title')} data-form="suspension">
      <h2 id={id('title')}>{editing ? t('reportEditTitle') : t('reportTitle')}</h2>
      <p class="muted small">{t('reportExplain')}</p>
      <Field id={id('date')} label={t('fieldSuspendedOn')} hint={week ? t('reportWeekKept', week) : t('reportWeekOnly')} error={errorFor('suspendedOn')}>
        <input
          id={id('date')}
          type="date"
          name="suspendedOn"
          value={suspendedOn}
          max={todayIso()}
          aria-invalid={form.invalid('suspendedOn')}
          aria-describedby={describedBy(id('date'), true, errorFor('suspendedOn'))}
          onInput={(e) => setSuspendedOn(e.currentTarget.value)}
        />
      </Field>
      <label class="choice">
        <input type="checkbox" name="reinstated" checked={reinstated} onChange={(e) => setReinstated(e.currentTarget.checked)} /> {t('fieldReinstated')}
      </label>
      <fieldset aria-describedby={id('tasks-explain')}>
        <legend>{t('reportTasksLegend')}</legend>
        <p id={id('tasks-explain')} class="muted small">
          {t('reportTasksExplain')}
        </p>
        <TaskPicker picked={picked} onChange={setPicked} prePick={fromCard?.key ?? null} onPrePicked={nameCardRequester} />
      </fieldset>
      <NamedRequesters named={named} onChange={setNamed} />
      <p class="label" data-field="report-summary" aria-live="polite">
        {t('reportSummary', reportSizeWords(counts))}
      </p>
      <p class="notice small" data-field="report-privacy">
        {t('reportPrivacy')}
      </p>
      <Field id={id('note')} label={t('fieldNoteModerators')} hint={editing ? t('reportNoteEditHint') : t('reportNoteHint')} error={errorFor('note')}>
        <textarea
          id={id('note')}
          name="note"
          rows={3}
          value={note}
          aria-invalid={form.invalid('note')}
          aria-describedby={describedBy(id('note'), true, errorFor('note'))}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
      </Field>
      <FormFooter error={form.error} busy={form.busy} sendLabel={editing ? t('saveChanges') : t('sendReport')} onCancel={props.onCancel} />
    </form>
  );
}
