/**
 * What suspended workers had in common: per (requester, task group), across every report
 * whatever requester it was filed under, how many distinct established accounts reported a
 * suspension after it within the last D days. Most shared first.
 */
import { useState } from 'preact/hooks';
import type { Correlation } from '../../core/moderation-protocol.js';
import { counted, when } from '../words.js';
import { accountsText } from './incidents.js';
import { Loading, useLoad, type Ctx } from '../shared.js';

const DAY_CHOICES = [7, 14, 30, 60, 90, 180];

export function CorrelationView(props: { ctx: Ctx; version: number }) {
  const window = props.ctx.rules.incidents.windowDays;
  const choices = [...new Set([...DAY_CHOICES, window])].sort((a, b) => a - b);
  const [days, setDays] = useState(String(window));
  const [min, setMin] = useState('2');
  const [applied, setApplied] = useState({ days: String(window), min: '2' });
  const { data, error, loading } = useLoad(props.ctx, 'correlation', { query: applied }, props.version);
  return (
    <>
      <h2>What suspended workers had in common</h2>
      <p class="muted small">
        Tasks that several established accounts (older than {props.ctx.rules.danger.establishedAfterDays} days when they reported, not muted or banned) named in
        their suspension reports, each counted under its own requester. Workers can't see this across reports; a task many suspended workers share is worth a
        closer look.
      </p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ days, min });
        }}
      >
        <label>
          Within the last
          <select value={days} onChange={(e) => setDays(e.currentTarget.value)}>
            {choices.map((d) => (
              <option key={d} value={String(d)}>
                {d} days{d === window ? ' (the incident window)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Show tasks with at least N accounts
          <input type="number" min={1} max={9999} required value={min} onInput={(e) => setMin(e.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary">
          Update
        </button>
      </form>
      <Loading loading={loading && !data} error={error} />
      {data && (
        <>
          {data.rows.length === 0 && (
            <p class="muted">
              No task was named by {applied.min} or more established accounts within the last {data.days} days.
            </p>
          )}
          <ul class="items correlation">
            {data.rows.map((row) => (
              <li key={`${row.requester.key} ${row.taskId}`} data-correlation={`${row.requester.key} ${row.taskId}`}>
                <p>
                  <strong>{accountsText(row.accounts)}</strong> reported a suspension after task “{row.taskTitle || row.taskId}”{' '}
                  <span class="mono small">({row.taskId})</span> of requester {row.requester.name || row.requester.key}{' '}
                  <span class="mono small muted">{row.requester.key}</span> within {data.days} days
                </p>
                <p class="small muted">
                  {counted(row.reports, 'report names', 'reports name')} it (any account) · first {when(row.firstReportAt)} · last{' '}
                  {when(row.lastReportAt)}{' '}
                  {row.incidentId && (
                    <span class="tag" data-field="incident">
                      part of an incident (see Incidents)
                    </span>
                  )}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
