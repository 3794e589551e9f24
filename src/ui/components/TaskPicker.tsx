/**
 * Picks tasks for a suspension report from the browser-only work log of the last N days,
 * across every requester: grouped by requester, searchable, one checkbox per task group.
 * The log is read here, in the browser; only the ticked tasks ever leave it (in the report).
 * If the log cannot be read, the worker can still name requesters by hand (NamedRequesters).
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { WorkLogEntry } from '../../core/work-log.js';
import { t, tPlural } from '../i18n.js';
import { formatDateTime } from '../format.js';
import { errorText, send } from './send.js';
import { groupEntries, MAX_REPORT_TASKS, pickId, REPORT_DAY_CHOICES, type PickableTask } from './suspension-picks.js';

/** Shown at most per query; a search narrows a longer log. */
const QUERY_LIMIT = 500;
const DEFAULT_DAYS = 30;

type Loaded = { entries: WorkLogEntry[]; total: number; error: string | null };

export function TaskPicker(props: {
  picked: ReadonlyMap<string, PickableTask>;
  onChange: (next: Map<string, PickableTask>) => void;
  /** On first load, tick this requester's tasks (the report was opened from its card)… */
  prePick?: string | null;
  /** …and say how many were found (none: the form names the requester instead). */
  onPrePicked?: (found: number) => void;
}) {
  const base = useId();
  const [days, setDays] = useState<number>(DEFAULT_DAYS);
  const [search, setSearch] = useState('');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const latest = useRef(0);
  const prePicked = useRef(false);

  useEffect(() => {
    const request = ++latest.current;
    send('ui/work-log-query', { search: search.trim(), sinceDays: days, limit: QUERY_LIMIT })
      .then(
        (result): Loaded => ({ ...result, error: null }),
        (error): Loaded => ({ entries: [], total: 0, error: errorText(error) }),
      )
      .then((result) => {
        if (request !== latest.current) return; // a newer search or window answered first
        setLoaded(result);
        if (!prePicked.current && props.prePick) {
          prePicked.current = true;
          const next = new Map(props.picked);
          for (const group of groupEntries(result.entries)) {
            if (group.requester !== props.prePick) continue;
            for (const task of group.tasks) if (next.size < MAX_REPORT_TASKS) next.set(pickId(task), task);
          }
          if (next.size !== props.picked.size) props.onChange(next);
          props.onPrePicked?.(next.size - props.picked.size);
        }
      });
  }, [days, search]);

  const groups = groupEntries(loaded?.entries ?? [], props.picked.values());

  function toggle(task: PickableTask, on: boolean) {
    const next = new Map(props.picked);
    if (on) next.set(pickId(task), task);
    else next.delete(pickId(task));
    props.onChange(next);
  }

  return (
    <div data-view="task-picker">
      <div class="row">
        <div class="field">
          <label for={`${base}-days`}>{t('reportPickerDays')}</label>
          <select id={`${base}-days`} name="days" value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            {REPORT_DAY_CHOICES.map((n) => (
              <option key={n} value={String(n)}>
                {tPlural('pluralDays', n)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${base}-search`}>{t('reportPickerSearch')}</label>
          <input id={`${base}-search`} type="search" name="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
      </div>
      {loaded?.error && (
        <p class="error small" role="alert">
          {t('reportPickerUnavailable', loaded.error)}
        </p>
      )}
      {loaded === null ? (
        <p class="muted">{t('loading')}</p>
      ) : groups.length === 0 ? (
        <p class="muted" data-field="picker-empty">
          {search.trim() ? t('reportPickerNoMatch') : tPlural('pluralReportPickerEmpty', days)}
        </p>
      ) : (
        <div data-list="work-log-tasks">
          {groups.map((group) => (
            <fieldset key={group.requester} data-requester={group.requester}>
              <legend>
                {group.requesterName} <span class="muted small">({group.requester})</span>
              </legend>
              <ul class="plain picker">
                {group.tasks.map((task) => {
                  const checked = props.picked.has(pickId(task));
                  return (
                    <li key={task.taskId}>
                      <label class="choice">
                        <input
                          type="checkbox"
                          name="tasks"
                          value={task.taskId}
                          checked={checked}
                          disabled={!checked && props.picked.size >= MAX_REPORT_TASKS}
                          onChange={(e) => toggle(task, e.currentTarget.checked)}
                        />{' '}
                        <span>
                          {task.taskTitle || task.taskId}
                          <span class="muted small">
                            {' '}
                            · {t('reportPickerTaskId', task.taskId)}
                            {task.doneAt !== null ? ` · ${t('reportPickerDoneAt', formatDateTime(task.doneAt))}` : ''}
                            {task.times > 1 ? ` · ${tPlural('pluralTimes', task.times)}` : ''}
                          </span>
                        </span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          ))}
        </div>
      )}
      {props.picked.size >= MAX_REPORT_TASKS && (
        <p class="muted small" data-field="picker-full">
          {tPlural('pluralReportPickerFull', MAX_REPORT_TASKS)}
        </p>
      )}
      {loaded && loaded.total > loaded.entries.length && <p class="muted small">{t('reportPickerMore', [String(loaded.entries.length), String(loaded.total)])}</p>}
    </div>
  );
}
