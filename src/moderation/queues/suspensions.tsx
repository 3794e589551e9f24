/**
 * Suspension reports grouped by requester: confirm or dismiss the link, read each report (notes are for moderators only), mute or ban a reporter.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ReportView } from '../../core/moderation-protocol.js';
import { MuteBan, RequesterFilter, SummaryLine } from '../parts.js';
import { Action, type Ctx, PagedItems, PER_PAGE, useLoad } from '../shared.js';

export function SuspensionQueue(props: { ctx: Ctx; version: number }) {
  const { ctx } = props;
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState('open');
  const [requester, setRequester] = useState('');
  const { data, error, loading } = useLoad(ctx, 'suspensions', { query: { page, perPage: PER_PAGE, status, requester } }, props.version);
  return (
    <>
      <h2>Suspension reports by requester</h2>
      <p class="muted small">
        Confirming a link turns the requester to “danger — linked to suspensions” for every worker at their next sync. Dismissing stops its reports from counting.
      </p>
      <div class="filters">
        <label>
          Reports
          <select value={status} onChange={(e) => (setStatus(e.currentTarget.value), setPage(1))}>
            <option value="open">open</option>
            <option value="confirmed">confirmed</option>
            <option value="dismissed">dismissed</option>
          </select>
        </label>
        <RequesterFilter value={requester} onChange={(v) => (setRequester(v), setPage(1))} />
      </div>
      <PagedItems data={data} loading={loading} error={error} onPage={setPage} label="Suspension reports" empty={<>No requesters with {status} reports.</>}>
        {(group) => (
          <li key={group.requester.key} data-requester={group.requester.key}>
            <h3>
              {group.requester.name || group.requester.key} <span class="muted small mono">{group.requester.key}</span>
            </h3>
            <p>
              <SummaryLine summary={group.summary} rules={ctx.rules} />
            </p>
            <p class="small">
              <strong>{group.reports}</strong> reports ({group.open} open), latest {group.latestAt.slice(0, 10)}
              {group.confirmed && <span class="level-danger"> · link confirmed</span>}
            </p>
            {group.topTasks.length > 0 && (
              <p class="small">
                Tasks named:{' '}
                {group.topTasks.map((t) => (
                  <span key={t.taskId} class="tag">
                    {t.taskTitle || t.taskId} ({t.reports})
                  </span>
                ))}
              </p>
            )}
            <Reports ctx={ctx} requester={group.requester.key} version={props.version} />
            <div class="actions">
              <Action
                label="Confirm suspension link"
                danger
                run={(r) => ctx.api('decideSuspension', { params: { key: group.requester.key }, body: { decision: 'confirm', reason: r } })}
                done={() => ctx.changed('Suspension link confirmed; the requester now shows as danger.')}
              />
              <Action
                label="Dismiss suspension reports"
                run={(r) => ctx.api('decideSuspension', { params: { key: group.requester.key }, body: { decision: 'dismiss', reason: r } })}
                done={() => ctx.changed('Suspension reports dismissed.')}
              />
            </div>
          </li>
        )}
      </PagedItems>
    </>
  );
}

function Reports(props: { ctx: Ctx; requester: string; version: number }) {
  const [open, setOpen] = useState(false);
  const [reports, setReports] = useState<ReportView[] | null>(null);
  useEffect(() => {
    if (!open) return;
    void props.ctx.api('suspensionReports', { params: { key: props.requester } }).then((r) => setReports(r.reports));
  }, [open, props.version]);
  return (
    <div>
      <button type="button" class="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide reports' : 'Show reports'}
      </button>
      {open && reports && (
        <table class="small">
          <caption class="muted">Reports (notes are for moderators only)</caption>
          <thead>
            <tr>
              <th scope="col">Reported</th>
              <th scope="col">Suspended on</th>
              <th scope="col">Counts</th>
              <th scope="col">Tasks</th>
              <th scope="col">Note</th>
              <th scope="col">Status</th>
              <th scope="col">Author</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.id}>
                <td>{r.reportedAt.slice(0, 10)}</td>
                <td>
                  {r.suspendedOn}
                  {r.reinstated && ' (reinstated)'}
                </td>
                <td>{r.established ? 'yes' : 'no (new or muted account)'}</td>
                <td>{r.tasks.map((t) => t.taskTitle || t.taskId).join(', ') || '—'}</td>
                <td>{r.note || '—'}</td>
                <td>{r.status}</td>
                <td>
                  <MuteBan ctx={props.ctx} target={{ kind: 'suspension_report', id: r.id }} who="reporter" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
