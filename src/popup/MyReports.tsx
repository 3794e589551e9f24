/**
 * "My reports": the worker's suspension reports. Delivered ones come from the server
 * (`ui/my-reports`) with their state in words; ones still in the outbox (waiting, or
 * refused with the reason) come from the status. A delivered report can be marked
 * "reinstated", edited, or withdrawn — each change goes through the outbox too.
 */
import { useState } from 'preact/hooks';
import type { OutboxItem } from '../core/extension-state.js';
import type { OwnSuspensionReport } from '../core/sync-protocol.js';
import { ConfirmButton, StatusLine } from '../ui/components/fields.js';
import { describeSubmission } from '../ui/components/OutboxList.js';
import { errorText, send } from '../ui/components/send.js';
import { payloadFromReport, weekLabel } from '../ui/components/suspension-picks.js';
import { useLoad } from '../ui/components/use-load.js';
import { serverErrorText } from '../ui/components/use-submit.js';
import { uiLocale } from '../ui/format.js';
import { t } from '../ui/i18n.js';

const REPORT_KINDS = new Set(['suspension', 'suspension-edit', 'suspension-withdraw']);
/** Words and a symbol for each state: never colour alone. */
const STATE_TEXT = { open: 'reportStateOpen', confirmed: 'reportStateConfirmed', dismissed: 'reportStateDismissed' } as const;
const STATE_ICON = { open: '◔', confirmed: '✔', dismissed: '✖' } as const;

/** "Acme Lab: Survey A, Survey B" per requester; requesters named without a task by name alone. */
function tasksByRequester(report: OwnSuspensionReport): { key: string; name: string; tasks: string[] }[] {
  const rows = new Map<string, { key: string; name: string; tasks: string[] }>();
  for (const r of report.requesters) rows.set(r.requester, { key: r.requester, name: r.requesterName || r.requester, tasks: [] });
  for (const task of report.tasks) {
    const row = rows.get(task.requester) ?? { key: task.requester, name: task.requesterName || task.requester, tasks: [] };
    row.tasks.push(task.taskTitle || task.taskId);
    rows.set(task.requester, row);
  }
  return [...rows.values()];
}

export function MyReports(props: {
  outbox: OutboxItem[];
  onEdit: (report: OwnSuspensionReport) => void;
  onEditOutbox: (item: OutboxItem) => void;
  onBack: () => void;
  onChanged: () => void;
}) {
  const [refresh, setRefresh] = useState(0);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const loaded = useLoad(() => send('ui/my-reports', {}), [refresh]);
  const reports = loaded.value?.reports ?? (loaded.error ? [] : null);
  const loadError = loaded.error ?? (loaded.value?.error ? errorText(new Error(loaded.value.error)) : null);

  const pending = props.outbox.filter((item) => REPORT_KINDS.has(item.submission.kind));
  const pendingFor = (id: string) => pending.find((item) => 'reportId' in item.submission && item.submission.reportId === id);

  async function change(report: OwnSuspensionReport, action: 'reinstated' | 'withdraw') {
    try {
      const submission =
        action === 'withdraw'
          ? { kind: 'suspension-withdraw' as const, reportId: report.id }
          : { kind: 'suspension-edit' as const, reportId: report.id, payload: payloadFromReport(report, { reinstated: true }) };
      const result = await send('ui/submit', { submission });
      if (result.item.state === 'rejected') {
        setMessage({ text: serverErrorText({ message: result.item.lastError ?? t('errorRefused'), field: result.item.errorField }), kind: 'error' });
      } else {
        const done = action === 'withdraw' ? ['reportWithdrawn', 'reportWithdrawQueued'] : ['reportSaved', 'reportSaveQueued'];
        setMessage({ text: t(result.delivered ? done[0]! : done[1]!), kind: 'ok' });
      }
    } catch (error) {
      setMessage({ text: errorText(error), kind: 'error' });
    }
    setRefresh((n) => n + 1);
    props.onChanged();
  }

  return (
    <section aria-labelledby="my-reports-heading" data-view="my-reports">
      <h2 id="my-reports-heading">{t('reportMineTitle')}</h2>
      <p class="muted small">{t('reportMineExplain')}</p>
      <StatusLine message={message?.text ?? null} kind={message?.kind ?? 'info'} />
      {pending.length > 0 && (
        <>
          <h3>{t('reportMinePending')}</h3>
          <ul class="plain" data-list="pending-reports">
            {pending.map((item) => (
              <li key={item.id} data-outbox-state={item.state}>
                <p>{describeSubmission(item)}</p>
                <p class={item.state === 'rejected' ? 'notice error-box small' : 'muted small'}>
                  {item.state === 'rejected'
                    ? t('outboxRefused', serverErrorText({ message: item.lastError ?? t('errorRefused'), field: item.errorField }))
                    : t('outboxWaiting')}
                </p>
                {item.state === 'rejected' && item.submission.kind !== 'suspension-withdraw' && (
                  <div class="actions">
                    <button type="button" onClick={() => props.onEditOutbox(item)}>
                      {t('edit')}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('reportMineDelivered')}</h3>
      {loadError && <p class="muted small">{t('reportMineUnavailable', loadError)}</p>}
      {reports === null && <p class="muted small">{t('loading')}</p>}
      {reports !== null && reports.length === 0 && !loadError && <p class="muted small">{t('reportMineNone')}</p>}
      {reports !== null && reports.length > 0 && (
        <ul class="plain" data-list="my-reports">
          {reports.map((report) => {
            const waiting = pendingFor(report.id);
            return (
              <li key={report.id} data-report={report.id} data-status={report.status}>
                <p>
                  <span class="label" data-field="report-state">
                    <span aria-hidden="true">{STATE_ICON[report.status]} </span>
                    {t(STATE_TEXT[report.status])}
                  </span>
                </p>
                <p class="small">
                  {t('reportMineWeek', weekLabel(report.suspendedWeek, uiLocale()) || report.suspendedWeek)}
                  {' · '}
                  <span data-field="report-reinstated">{report.reinstated ? t('reportMineReinstated') : t('reportMineNotReinstated')}</span>
                </p>
                <ul class="small" data-list="report-requesters">
                  {tasksByRequester(report).map((row) => (
                    <li key={row.key} data-requester={row.key}>
                      <strong>{row.name}</strong>
                      {row.tasks.length > 0 ? `: ${row.tasks.join(', ')}` : ` ${t('reportMineNoTask')}`}
                    </li>
                  ))}
                </ul>
                {waiting ? (
                  <p class="muted small">{waiting.submission.kind === 'suspension-withdraw' ? t('reportWithdrawQueued') : t('reportSaveQueued')}</p>
                ) : (
                  <div class="actions">
                    {!report.reinstated && (
                      <button type="button" onClick={() => void change(report, 'reinstated')}>
                        {t('reportMarkReinstated')}
                      </button>
                    )}
                    <button type="button" onClick={() => props.onEdit(report)}>
                      {t('edit')}
                    </button>
                    <ConfirmButton
                      label={t('reportWithdraw')}
                      question={t('reportWithdrawQuestion')}
                      confirmLabel={t('reportWithdrawConfirm')}
                      confirming={confirming === report.id}
                      setConfirming={(on) => setConfirming(on ? report.id : null)}
                      onConfirm={() => void change(report, 'withdraw')}
                    />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div class="actions">
        <button type="button" onClick={props.onBack}>
          {t('popupBack')}
        </button>
      </div>
    </section>
  );
}
