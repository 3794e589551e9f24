/**
 * The audit log: every moderation action and role change, newest first, filtered by action, moderator or target.
 */
import { useState } from 'preact/hooks';
import { AUDIT_ACTIONS } from '../../core/moderation-protocol.js';
import { Loading, PER_PAGE, Pager, useLoad, type Ctx } from '../shared.js';

export function AuditLog(props: { ctx: Ctx; version: number }) {
  const [page, setPage] = useState(1);
  const [action, setAction] = useState('');
  const [moderator, setModerator] = useState('');
  const [target, setTarget] = useState('');
  const [applied, setApplied] = useState({ moderator: '', target: '' });
  const { data, error, loading } = useLoad(
    props.ctx,
    'audit',
    { query: { page, perPage: PER_PAGE, action, moderator: applied.moderator, target: applied.target } },
    props.version,
  );
  return (
    <>
      <h2>Audit log</h2>
      <p class="muted small">Every moderation action and role change: who (moderator pseudonym), what, on what, why and when. Newest first.</p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ moderator: moderator.trim(), target: target.trim() });
          setPage(1);
        }}
      >
        <label>
          Action
          <select value={action} onChange={(e) => (setAction(e.currentTarget.value), setPage(1))}>
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Moderator
          <input type="search" value={moderator} onInput={(e) => setModerator(e.currentTarget.value)} />
        </label>
        <label>
          Target
          <input type="search" placeholder="review:… or requester:…" value={target} onInput={(e) => setTarget(e.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <Loading loading={loading && !data} error={error} />
      {data && (
        <>
          <Pager page={data} onPage={setPage} label="Audit log" />
          <table>
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Moderator</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Reason</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((entry) => (
                <tr key={entry.id} data-audit={entry.action}>
                  <td class="small">{entry.at.replace('T', ' ').slice(0, 19)}</td>
                  <td>{entry.moderator}</td>
                  <td>{entry.action.replace(/_/g, ' ')}</td>
                  <td class="mono">{entry.target}</td>
                  <td>{entry.reason}</td>
                  <td class="small mono">
                    {Object.entries(entry.detail)
                      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
