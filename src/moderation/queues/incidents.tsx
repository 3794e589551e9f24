/**
 * Incidents, the first thing on the moderation page: reports that crossed a published
 * threshold (one task group shared by several established accounts, or a requester's
 * report rate far above its own). Each says in words what happened, when, what state it
 * is in and what workers' browsers show; a moderator confirms or dismisses it with a reason.
 */
import { useState } from 'preact/hooks';
import type { ActionResult, Incident, Page } from '../../core/moderation-protocol.js';
import { Action, type Ctx, PagedItems, PER_PAGE, useLoad } from '../shared.js';
import { counted, when } from '../words.js';

export const accountsText = (n: number) => counted(n, 'established account', 'established accounts');
const requesterText = (r: Incident['requester']) => (r.name ? `${r.name} (${r.key})` : r.key);

/** The one sentence that says what an incident is about. */
export function incidentSentence(incident: Incident): string {
  const accounts = accountsText(incident.accounts);
  if (incident.taskId !== null) {
    const task = incident.taskTitle ? `“${incident.taskTitle}” (${incident.taskId})` : incident.taskId;
    return `${accounts} reported a suspension after task ${task} of requester ${requesterText(incident.requester)} within ${incident.windowDays} days`;
  }
  return `${accounts} reported suspensions after requester ${requesterText(incident.requester)}'s tasks — far above its usual rate`;
}

const STATUS: Record<Incident['status'], { icon: string; text: string; level: string }> = {
  open: { icon: '⚠', text: 'Open — waiting for a decision', level: 'caution' },
  confirmed: { icon: '✔', text: 'Confirmed by a moderator', level: 'danger' },
  dismissed: { icon: '✖', text: 'Dismissed', level: 'unknown' },
};

/** What workers' browsers show for it, in words. */
export function browsersText(incident: Incident): string {
  if (incident.status === 'dismissed') return 'Workers are not warned (dismissed)';
  // Browsers match task groups; a requester-wide incident has none to send.
  if (incident.taskId === null) return "No single task to warn about: to warn every worker, confirm the requester's suspension link (Suspension reports)";
  if (incident.replicated === 'investigating') return 'Workers who did this task are warned: under investigation';
  if (incident.replicated === 'confirmed') return 'Workers who did this task are warned: confirmed';
  return 'Workers are not warned yet (below the threshold for "under investigation")';
}

const FILTERS = [
  ['', 'All, open first'],
  ['open', 'Open'],
  ['confirmed', 'Confirmed'],
  ['dismissed', 'Dismissed'],
] as const;

export function IncidentsView(props: { ctx: Ctx; version: number }) {
  const { ctx } = props;
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState('');
  const { data, error, loading } = useLoad(ctx, 'incidents', { query: { page, perPage: PER_PAGE, status } }, props.version);
  return (
    <>
      <h2>Incidents</h2>
      <p class="muted small">
        The server opens an incident when suspension reports cross a published threshold: {ctx.rules.incidents.openAccounts} established accounts sharing one task
        within {ctx.rules.incidents.windowDays} days (workers are warned “under investigation” from {ctx.rules.incidents.investigateAccounts}), or a requester's
        reports far above its usual rate. Confirming warns every worker who did the task: “confirmed”. Dismissing takes the warning away.
      </p>
      <div class="filters" role="group" aria-label="Which incidents">
        {FILTERS.map(([value, label]) => (
          <button
            key={value}
            type="button"
            class={status === value ? '' : 'secondary'}
            aria-pressed={status === value}
            data-filter={value || 'all'}
            onClick={() => (setStatus(value), setPage(1))}
          >
            {label}
          </button>
        ))}
      </div>
      <PagedItems data={data} loading={loading} error={error} onPage={setPage} label="Incidents" empty={<>No {status || ''} incidents.</>}>
        {(incident) => (
          <IncidentItem key={incident.id} ctx={ctx} incident={incident} />
        )}
      </PagedItems>
    </>
  );
}

function IncidentItem(props: { ctx: Ctx; incident: Incident }) {
  const { ctx, incident } = props;
  const status = STATUS[incident.status];
  const decide = (decision: 'confirm' | 'dismiss') => (reason: string) =>
    ctx.api('decideIncident', { params: { id: incident.id }, body: { decision, reason } });
  return (
    <li data-incident={incident.id} data-status={incident.status}>
      <h3 class="incident-sentence">{incidentSentence(incident)}</h3>
      <p class="small">
        <span class={`level-${status.level}`} data-field="status">
          <span aria-hidden="true">{status.icon} </span>
          {status.text}
        </span>
        {' · '}
        <span data-field="browsers">{browsersText(incident)}</span>
      </p>
      <p class="small muted">
        {counted(incident.reports, 'report', 'reports')} · first report {when(incident.firstReportAt)} · last report{' '}
        {when(incident.lastReportAt)} · opened {when(incident.openedAt)}
        {incident.decidedAt && ` · decided ${when(incident.decidedAt)}`}
      </p>
      <div class="actions">
        {incident.status !== 'confirmed' && (
          <Action label="Confirm incident" danger run={decide('confirm')} done={() => ctx.changed('Incident confirmed: every worker who did the task is warned “confirmed” at their next sync.')} />
        )}
        {incident.status !== 'dismissed' && (
          <Action label="Dismiss incident" run={decide('dismiss')} done={() => ctx.changed('Incident dismissed: workers are no longer warned about it.')} />
        )}
      </div>
    </li>
  );
}
