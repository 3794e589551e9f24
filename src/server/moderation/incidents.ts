/**
 * Incidents for moderators: the list, the correlation view and the decision. The server
 * opens incidents itself (inside each report write, src/server/storage); a moderator then
 * confirms one (its task group reaches every browser as "confirmed") or dismisses it (it
 * leaves the feed). Both are audited, recompute the requester (a new sequence number, so
 * every browser gets the change at its next sync) and queue a webhook delivery — in the
 * one transaction of the action.
 */
import { randomBytes } from 'node:crypto';
import type { Correlation, CorrelationRow, Incident, Page } from '../../core/moderation-protocol.js';
import type { Rules } from '../../core/rules.js';
import type { SqlExecutor, SqlValue } from '../storage/driver.js';
import { DomainError } from '../storage/storage.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(Number(ms)).toISOString();

export type IncidentStatus = Incident['status'];

export interface IncidentRow {
  id: string;
  requester_key: string;
  task_key: string;
  task_title: string;
  trigger_kind: Incident['trigger'];
  status: IncidentStatus;
  accounts: number;
  reports: number;
  replicated: Incident['replicated'];
  first_report_at: number;
  last_report_at: number;
  opened_at: number;
  decided_at: number | null;
  closed_at: number | null;
  name: string | null;
}

const INCIDENT_COLUMNS = `i.id, i.requester_key, i.task_key, i.task_title, i.trigger_kind, i.status, i.accounts, i.reports, i.replicated,
  i.first_report_at, i.last_report_at, i.opened_at, i.decided_at, i.closed_at, q.name`;

export function incidentView(row: IncidentRow, rules: Rules): Incident {
  const taskWide = row.task_key !== '';
  return {
    id: row.id,
    requester: { key: row.requester_key, name: row.name ?? '' },
    taskId: taskWide ? row.task_key : null,
    taskTitle: taskWide ? row.task_title : null,
    trigger: row.trigger_kind,
    status: row.status,
    accounts: Number(row.accounts),
    reports: Number(row.reports),
    windowDays: rules.incidents.windowDays,
    replicated: row.replicated,
    firstReportAt: iso(row.first_report_at),
    lastReportAt: iso(row.last_report_at),
    openedAt: iso(row.opened_at),
    decidedAt: row.decided_at === null ? null : iso(row.decided_at),
  };
}

export async function incidentById(tx: SqlExecutor, id: string): Promise<IncidentRow | null> {
  const [row] = await tx.all<IncidentRow>(`SELECT ${INCIDENT_COLUMNS} FROM incidents i LEFT JOIN requesters q ON q.key = i.requester_key WHERE i.id = ?`, [id]);
  return row ?? null;
}

/** Open ones first (the ones needing a decision), then newest first; or one status only. */
export async function listIncidents(
  tx: SqlExecutor,
  rules: Rules,
  q: { status?: IncidentStatus; page: number; perPage: number; offset: number },
): Promise<Page<Incident>> {
  const filter = q.status ? 'WHERE i.status = ?' : '';
  const params: SqlValue[] = q.status ? [q.status] : [];
  const [count] = await tx.all<{ n: number }>(`SELECT COUNT(*) AS n FROM incidents i ${filter}`, params);
  const rows = await tx.all<IncidentRow>(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents i LEFT JOIN requesters q ON q.key = i.requester_key ${filter}
     ORDER BY CASE WHEN i.status = 'open' THEN 0 ELSE 1 END, i.opened_at DESC, i.id LIMIT ? OFFSET ?`,
    [...params, q.perPage, q.offset],
  );
  return { items: rows.map((r) => incidentView(r, rules)), total: Number(count?.n ?? 0), page: q.page, perPage: q.perPage };
}

/**
 * The webhook's body: the incident as moderators see it in the list — requester, task
 * group, counts, dates, status. Never an account, a report, a note or a moderator's reason.
 */
export function webhookBody(event: string, incident: Incident, now: number): string {
  return JSON.stringify({ event, at: iso(now), incident });
}

export async function queueWebhook(tx: SqlExecutor, event: string, body: string, now: number): Promise<string> {
  const id = `wh-${now.toString(36)}-${randomBytes(6).toString('hex')}`;
  await tx.run('INSERT INTO webhook_deliveries (id, event, body_json, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)', [id, event, body, now, now]);
  return id;
}

/**
 * Confirmed: its task group goes to every browser as "confirmed". Dismissed: it leaves the
 * feed. Either way it is closed (the clock for deleting its reports' notes starts). The
 * caller recomputes the requester and audits, in the same transaction.
 */
export async function decideIncident(tx: SqlExecutor, rules: Rules, id: string, status: 'confirmed' | 'dismissed', now: number): Promise<IncidentRow> {
  const before = await incidentById(tx, id);
  if (!before) throw new DomainError(404, 'not_found', 'no such incident', 'id');
  if (before.status === status) throw new DomainError(409, 'already_decided', `the incident is already ${status}`, 'decision');
  const replicated = status === 'confirmed' ? 'confirmed' : null;
  await tx.run('UPDATE incidents SET status = ?, replicated = ?, decided_at = ?, closed_at = ? WHERE id = ?', [status, replicated, now, now, id]);
  const after: IncidentRow = { ...before, status, replicated, decided_at: now, closed_at: now };
  await queueWebhook(tx, `incident.${status}`, webhookBody(`incident.${status}`, incidentView(after, rules), now), now);
  return after;
}

interface CorrelationSqlRow {
  requester_key: string;
  name: string | null;
  task_id: string;
  task_title: string;
  accounts: number;
  reports: number;
  first_at: number;
  last_at: number;
  incident_id: string | null;
}

/**
 * "N established accounts reported a suspension after task T of requester R within D days":
 * per (requester, task group) across every report whatever requester it was filed under,
 * counting distinct established accounts (old enough when they reported, not muted now,
 * not banned); withdrawn and dismissed reports count nowhere. Most shared first.
 */
export async function correlation(tx: SqlExecutor, rules: Rules, days: number, min: number, now: number): Promise<Correlation> {
  const established = rules.danger.establishedAfterDays * DAY_MS;
  const rows = await tx.all<CorrelationSqlRow>(
    `SELECT g.requester_key, q.name, g.task_id, g.task_title, g.accounts, g.reports, g.first_at, g.last_at, i.id AS incident_id
     FROM (
       SELECT t.requester_key, t.task_id, MAX(t.task_title) AS task_title,
         COUNT(DISTINCT CASE WHEN a.banned_at IS NULL AND t.reported_at - a.created_at >= ? AND (a.muted_until IS NULL OR a.muted_until <= ?)
                             THEN t.account_id END) AS accounts,
         COUNT(*) AS reports, MIN(t.reported_at) AS first_at, MAX(t.reported_at) AS last_at
       FROM suspension_report_tasks t
       JOIN suspension_reports s ON s.id = t.report_row_id
       JOIN accounts a ON a.id = t.account_id
       WHERE t.reported_at >= ? AND s.withdrawn_at IS NULL AND s.status <> 'dismissed'
       GROUP BY t.requester_key, t.task_id
     ) g
     LEFT JOIN requesters q ON q.key = g.requester_key
     LEFT JOIN incidents i ON i.requester_key = g.requester_key AND i.task_key = g.task_id
     WHERE g.accounts >= ?
     ORDER BY g.accounts DESC, g.reports DESC, g.last_at DESC, g.requester_key, g.task_id
     LIMIT 100`,
    [established, now, now - days * DAY_MS, min],
  );
  return {
    days,
    rows: rows.map(
      (r): CorrelationRow => ({
        requester: { key: r.requester_key, name: r.name ?? '' },
        taskId: r.task_id,
        taskTitle: r.task_title,
        accounts: Number(r.accounts),
        reports: Number(r.reports),
        firstReportAt: iso(r.first_at),
        lastReportAt: iso(r.last_at),
        incidentId: r.incident_id,
      }),
    ),
  };
}
