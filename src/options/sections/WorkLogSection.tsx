/**
 * The options page's work log: switch it on or off, how long it keeps tasks, a searchable
 * table of what it holds, export as CSV or JSON (a file saved from this page: the log is
 * never sent anywhere), and clearing it.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import type { WorkLogEntry } from '../../core/work-log.js';
import { ConfirmButton, Field, StatusLine, describedBy } from '../../ui/components/fields.js';
import { saveFile } from '../../ui/components/save-file.js';
import { errorText, send } from '../../ui/components/send.js';
import { useSaveStatus } from '../../ui/components/use-save-status.js';
import { formatCount, formatDate, formatDateTime, formatMoney } from '../../ui/format.js';
import { t, tPlural } from '../../ui/i18n.js';
import { outcomeLabel } from '../../ui/labels.js';
import type { SettingsProps } from './types.js';

const PAGE = 50;
const RETENTION_MIN = 1;
const RETENTION_MAX = 3650;

/** Whole days within the limits the settings schema takes, else null. */
function parseRetentionDays(text: string): number | null {
  if (!/^\s*\d{1,4}\s*$/.test(text)) return null;
  const days = Number(text);
  return days >= RETENTION_MIN && days <= RETENTION_MAX ? days : null;
}

/** What the worker did with the task and when, in words: one or two lines (status pages give the submission's day, not its time). */
function whenText(e: WorkLogEntry): string[] {
  const lines: string[] = [];
  if (e.acceptedAt !== null) lines.push(t('workLogAcceptedOn', formatDateTime(e.acceptedAt)));
  if (e.returnedAt !== null) lines.push(t('workLogReturnedOn', formatDate(e.returnedAt)));
  else if (e.submittedAt !== null) lines.push(t('workLogSubmittedOn', formatDate(e.submittedAt)));
  return lines.length > 0 ? lines : [t('workLogPreviewedOn', formatDateTime(e.firstSeenAt))];
}

function LogTable({ entries, label }: { entries: WorkLogEntry[]; label: string }) {
  return (
    // Narrow windows scroll the table sideways; the region takes focus so keys can scroll it.
    <div class="table-scroll" style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label={label}>
      <table data-table="work-log">
        <thead>
          <tr>
            <th scope="col">{t('workLogColRequester')}</th>
            <th scope="col">{t('workLogColTask')}</th>
            <th scope="col">{t('workLogColReward')}</th>
            <th scope="col">{t('workLogColWhen')}</th>
            <th scope="col">{t('workLogColOutcome')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-entry={e.id}>
              <td>
                {e.requesterName || e.requester}
                <br />
                <span class="muted small">{e.requester}</span>
              </td>
              <td>
                {e.taskTitle || e.taskId}
                <br />
                <span class="muted small">{e.taskId}</span>
              </td>
              <td>{e.reward ? formatMoney(e.reward.cents, e.reward.currency) : '—'}</td>
              <td>
                {whenText(e).map((line, n) => (
                  <span key={n} class="small">
                    {n > 0 && <br />}
                    {line}
                  </span>
                ))}
              </td>
              <td>{e.outcome ? outcomeLabel(e.outcome) : t('workLogOutcomeUnknown')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WorkLogSection({ settings, update }: SettingsProps) {
  const id = useId();
  const [days, setDays] = useState(String(settings.workLog.retentionDays));
  const [daysError, setDaysError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const [page, setPage] = useState<{ entries: WorkLogEntry[]; total: number } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const save = useSaveStatus();
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    send('ui/work-log-query', { search: search.trim().slice(0, 200), offset: 0, limit }).then(
      (answer) => {
        if (!current) return; // a newer search is on its way
        setPage(answer);
        setLoadError(null);
      },
      (error) => current && setLoadError(errorText(error)),
    );
    return () => {
      current = false;
    };
  }, [search, limit, generation]);

  const toggle = (enabled: boolean) =>
    save.run(async () => {
      await update({ workLog: { ...settings.workLog, enabled } });
      return enabled ? t('workLogTurnedOn') : t('workLogTurnedOff');
    });

  function saveDays(event: Event) {
    event.preventDefault();
    const retentionDays = parseRetentionDays(days);
    if (retentionDays === null) {
      setDaysError(t('workLogRetentionInvalid', [String(RETENTION_MIN), String(RETENTION_MAX)]));
      return;
    }
    setDaysError(null);
    void save.run(async () => {
      await update({ workLog: { ...settings.workLog, retentionDays } });
      setGeneration((g) => g + 1); // a shorter retention drops tasks: show what is left
      return t('saved');
    });
  }

  const exportAs = (format: 'csv' | 'json') =>
    save.run(async () => {
      const file = await send('ui/work-log-export', { format });
      saveFile(file.filename, file.mime, file.text);
      return t('workLogExported', file.filename);
    });

  const clear = () =>
    save.run(async () => {
      await send('ui/work-log-clear', {});
      setGeneration((g) => g + 1);
      return t('workLogCleared');
    });

  const total = page?.total ?? 0;
  return (
    <section aria-labelledby={`${id}-h`} data-section="work-log">
      <h2 id={`${id}-h`}>{t('workLogTitle')}</h2>
      <p>
        <strong>{t('workLogPromise')}</strong> {t('workLogExplain')}
      </p>
      <label class="choice">
        <input type="checkbox" name="workLog-enabled" checked={settings.workLog.enabled} onChange={(e) => void toggle(e.currentTarget.checked)} />{' '}
        {t('workLogEnabled')}
      </label>
      <form onSubmit={saveDays} noValidate>
        <Field id={`${id}-days`} label={t('workLogRetention')} hint={t('workLogRetentionHint')} error={daysError}>
          <input
            id={`${id}-days`}
            name="workLog-retentionDays"
            type="number"
            inputMode="numeric"
            min={RETENTION_MIN}
            max={RETENTION_MAX}
            class="short"
            value={days}
            aria-invalid={daysError !== null}
            aria-describedby={describedBy(`${id}-days`, true, daysError)}
            onInput={(e) => setDays(e.currentTarget.value)}
          />
        </Field>
        <button type="submit">{t('save')}</button>
      </form>

      <Field id={`${id}-search`} label={t('workLogSearch')} hint={t('workLogSearchHint')}>
        <input
          id={`${id}-search`}
          type="search"
          class="wide"
          maxLength={200}
          value={search}
          aria-describedby={describedBy(`${id}-search`, true, null)}
          aria-controls={`${id}-table`}
          onInput={(e) => {
            setSearch(e.currentTarget.value);
            setLimit(PAGE);
          }}
        />
      </Field>
      {loadError && <p class="error">{loadError}</p>}
      <div id={`${id}-table`}>
        <p role="status" aria-live="polite" class="muted small" data-field="work-log-count">
          {page === null
            ? ''
            : total === 0
              ? search.trim()
                ? t('workLogNoMatch')
                : t('workLogEmpty')
              : tPlural('pluralWorkLogShowing', total, [formatCount(page.entries.length)])}
        </p>
        {page && page.entries.length > 0 && <LogTable entries={page.entries} label={t('workLogTableLabel')} />}
      </div>
      {page && page.entries.length < total && (
        <div class="actions">
          <button type="button" onClick={() => setLimit((n) => Math.min(n + PAGE * 4, 2000))}>
            {t('workLogMore')}
          </button>
        </div>
      )}

      <div class="actions">
        <button type="button" onClick={() => void exportAs('csv')}>
          {t('workLogExportCsv')}
        </button>
        <button type="button" onClick={() => void exportAs('json')}>
          {t('workLogExportJson')}
        </button>
        <ConfirmButton
          label={t('workLogClear')}
          question={t('workLogClearQuestion')}
          confirmLabel={t('workLogClearConfirm')}
          confirming={confirming}
          setConfirming={setConfirming}
          onConfirm={() => void clear()}
        />
      </div>
      <StatusLine {...save.line} />
    </section>
  );
}
