/**
 * Requester issue flags (phishing, personal data, broken, unpaid screener) grouped by requester: confirm or dismiss them, mute or ban a flagger.
 */
import { useState } from 'preact/hooks';
import { REQUESTER_FLAG_REASONS } from '../../core/schemas.js';
import { MuteBan, RequesterFilter, SummaryLine } from '../parts.js';
import { Action, type Ctx, PagedItems, PER_PAGE, useLoad } from '../shared.js';

export function IssueQueue(props: { ctx: Ctx; version: number }) {
  const { ctx } = props;
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState('open');
  const [reason, setReason] = useState('');
  const [requester, setRequester] = useState('');
  const { data, error, loading } = useLoad(ctx, 'issues', { query: { page, perPage: PER_PAGE, status, reason, requester } }, props.version);
  return (
    <>
      <h2>Requester issue flags</h2>
      <p class="muted small">Phishing, personal data requests, broken tasks and unpaid screeners. Confirming makes the requester “danger — phishing / personal data”.</p>
      <div class="filters">
        <label>
          Flags
          <select value={status} onChange={(e) => (setStatus(e.currentTarget.value), setPage(1))}>
            <option value="open">open</option>
            <option value="confirmed">confirmed</option>
            <option value="dismissed">dismissed</option>
          </select>
        </label>
        <label>
          Reason
          <select value={reason} onChange={(e) => (setReason(e.currentTarget.value), setPage(1))}>
            <option value="">any</option>
            {REQUESTER_FLAG_REASONS.map((r) => (
              <option key={r} value={r}>
                {r.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <RequesterFilter value={requester} onChange={(v) => (setRequester(v), setPage(1))} />
      </div>
      <PagedItems data={data} loading={loading} error={error} onPage={setPage} label="Issue flags" empty={<>No requesters with {status} issue flags.</>}>
        {(group) => (
          <li key={group.requester.key} data-requester={group.requester.key}>
            <h3>
              {group.requester.name || group.requester.key} <span class="muted small mono">{group.requester.key}</span>
            </h3>
            <p>
              <SummaryLine summary={group.summary} rules={ctx.rules} />
            </p>
            <p class="small">
              {Object.entries(group.counts).map(([r, n]) => (
                <span key={r} class="tag">
                  {r.replace(/_/g, ' ')} ×{n}
                </span>
              ))}{' '}
              {group.open} open, latest {group.latestAt.slice(0, 10)}
              {group.confirmed && <span class="level-danger"> · danger confirmed</span>}
            </p>
            <ul class="small">
              {group.flags.slice(0, 5).map((f) => (
                <li key={f.id}>
                  {f.createdAt.slice(0, 10)} · {f.reason.replace(/_/g, ' ')} {f.taskId && `· task ${f.taskId}`} · {f.status}
                  {f.note && ` — “${f.note}”`}
                </li>
              ))}
            </ul>
            <div class="actions">
              <Action
                label="Confirm phishing / personal data danger"
                danger
                run={(r) => ctx.api('decideIssues', { params: { key: group.requester.key }, body: { decision: 'confirm', reason: r } })}
                done={() => ctx.changed('Danger confirmed.')}
              />
              <Action
                label="Dismiss issue flags"
                run={(r) => ctx.api('decideIssues', { params: { key: group.requester.key }, body: { decision: 'dismiss', reason: r } })}
                done={() => ctx.changed('Issue flags dismissed.')}
              />
              {group.flags[0] && <MuteBan ctx={ctx} target={{ kind: 'requester_flag', id: group.flags[0].id }} who="latest flagger" />}
            </div>
          </li>
        )}
      </PagedItems>
    </>
  );
}
