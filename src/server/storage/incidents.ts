/**
 * Incidents (issue 11), the storage side: the detection that opens an incident inside
 * each report's write transaction, the list and decision helpers moderators' actions
 * call, their audit and webhook rows, and the deletion of moderator-only notes after an
 * incident closes. (Counting and the correlation view: correlation.ts; the suspect task
 * groups of a requester's replicated row: `suspectTasksOf` in aggregate.ts.)
 *
 * Exactly once, whatever the number of processes: every report write first locks each
 * requester it involves (`touchRequester`, in key order), and only such writes insert
 * incidents of that requester; the insert is also `ON CONFLICT DO NOTHING` on the
 * UNIQUE (requester_key, task_key). So the write that crosses a threshold is the one
 * that opens it, and writes it its audit and webhook rows, once.
 */
import { randomBytes } from 'node:crypto';
import type { AuditAction, Incident, Page } from '../../core/moderation-protocol.js';
import type { Rules } from '../../core/rules.js';
import type { SqlDriver, SqlExecutor, SqlValue } from './driver.js';
import { recomputeRequester, touchRequester } from './aggregate.js';
import { requesterCounts, taskCounts } from './correlation.js';
import { DomainError } from './errors.js';

export { correlation } from './correlation.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(Number(ms)).toISOString();
/** The server itself, in the audit log. */
const SERVER_MODERATOR = 'lantern';

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

function incidentView(row: IncidentRow, rules: Rules): Incident {
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

async function incidentOf(tx: SqlExecutor, requester: string, taskKey: string): Promise<IncidentRow | null> {
  const [row] = await tx.all<IncidentRow>(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents i LEFT JOIN requesters q ON q.key = i.requester_key WHERE i.requester_key = ? AND i.task_key = ?`,
    [requester, taskKey],
  );
  return row ?? null;
}

/** Open ones first (the ones needing a decision), then newest first; or one status only. */
export async function listIncidents(
  tx: SqlExecutor,
  rules: Rules,
  q: { status?: IncidentStatus | undefined; page: number; perPage: number; offset: number },
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

// ------------------------------------------------------------------ audit and webhook rows

let auditCounter = 0;
/** Sorts by time, then by order of writing within this process (several entries can share a millisecond). */
const auditId = (at: number) =>
  `${Math.max(0, at).toString(36).padStart(10, '0')}${(auditCounter++ % 36 ** 6).toString(36).padStart(6, '0')}${randomBytes(4).toString('hex')}`;

export function writeAudit(
  tx: SqlExecutor,
  entry: { moderator: string; action: AuditAction; target: string; reason: string; detail?: Record<string, unknown> },
  now: number,
): Promise<number> {
  return tx.run('INSERT INTO audit_log (id, at, moderator, action, target, reason, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    auditId(now),
    now,
    entry.moderator,
    entry.action,
    entry.target,
    entry.reason,
    JSON.stringify(entry.detail ?? {}),
  ]);
}

/**
 * The webhook's body: the incident as moderators see it in the list — requester, task
 * group, counts, dates, status. Never an account, a report, a note or a moderator's reason.
 */
function webhookBody(event: string, incident: Incident, now: number): string {
  return JSON.stringify({ event, at: iso(now), incident });
}

async function queueWebhook(tx: SqlExecutor, event: string, body: string, now: number): Promise<string> {
  const id = `wh-${now.toString(36)}-${randomBytes(6).toString('hex')}`;
  await tx.run('INSERT INTO webhook_deliveries (id, event, body_json, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)', [id, event, body, now, now]);
  return id;
}

async function announce(tx: SqlExecutor, rules: Rules, id: string, event: string, now: number): Promise<void> {
  const row = await incidentById(tx, id);
  if (row) await queueWebhook(tx, event, webhookBody(event, incidentView(row, rules), now), now);
}

// ------------------------------------------------------------------ detection

/**
 * Opens the incident when it crosses the threshold (exactly once), or brings an existing
 * one's counts up to date — counted from its first report (or the window, whichever is
 * earlier), so a long incident keeps every account that reported it.
 */
async function settle(
  tx: SqlExecutor,
  rules: Rules,
  now: number,
  key: { requester: string; taskKey: string; title: string },
  counts: { accounts: number; reports: number; first_at: number | null; last_at: number | null },
  existing: IncidentRow | null,
  crossed: boolean,
  why: string,
): Promise<void> {
  const { investigateAccounts } = rules.incidents;
  const taskWide = key.taskKey !== '';
  const investigate = taskWide && counts.accounts >= investigateAccounts;
  if (!existing) {
    if (!crossed || counts.first_at === null || counts.last_at === null) return;
    const id = randomBytes(12).toString('base64url');
    const inserted = await tx.all<{ id: string }>(
      `INSERT INTO incidents (id, requester_key, task_key, task_title, trigger_kind, status, accounts, reports, replicated, first_report_at, last_report_at, opened_at)
       VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?) ON CONFLICT (requester_key, task_key) DO NOTHING RETURNING id`,
      [id, key.requester, key.taskKey, key.title, taskWide ? 'shared_task' : 'report_rate', counts.accounts, counts.reports,
        investigate ? 'investigating' : null, counts.first_at, counts.last_at, now],
    );
    if (inserted.length === 0) return;
    // Opened straight at the higher threshold: the audit says both (open, then investigate).
    await writeAudit(
      tx,
      {
        moderator: SERVER_MODERATOR,
        action: 'open_incident',
        target: `incident:${id}`,
        reason: why,
        detail: { requester: key.requester, taskId: taskWide ? key.taskKey : null, accounts: counts.accounts, reports: counts.reports },
      },
      now,
    );
    if (investigate) {
      await writeAudit(
        tx,
        {
          moderator: SERVER_MODERATOR,
          action: 'investigate_incident',
          target: `incident:${id}`,
          reason: `${counts.accounts} established accounts within ${rules.incidents.windowDays} days (threshold ${investigateAccounts}): workers who did this task are warned`,
          detail: { requester: key.requester, taskId: key.taskKey, accounts: counts.accounts, reports: counts.reports },
        },
        now,
      );
    }
    await announce(tx, rules, id, 'incident.opened', now);
    return;
  }
  const startInvestigating = existing.status === 'open' && existing.replicated === null && investigate;
  await tx.run(
    `UPDATE incidents SET accounts = ?, reports = ?, last_report_at = ?, replicated = ? WHERE id = ?`,
    [counts.accounts, counts.reports, Math.max(Number(existing.last_report_at), counts.last_at ?? 0), startInvestigating ? 'investigating' : existing.replicated, existing.id],
  );
  if (startInvestigating) {
    // Every change of an incident is in the audit log, the automatic ones too.
    await writeAudit(
      tx,
      {
        moderator: SERVER_MODERATOR,
        action: 'investigate_incident',
        target: `incident:${existing.id}`,
        reason: `${counts.accounts} established accounts within ${rules.incidents.windowDays} days (threshold ${investigateAccounts}): workers who did this task are warned`,
        detail: { requester: key.requester, taskId: key.taskKey, accounts: counts.accounts, reports: counts.reports },
      },
      now,
    );
    await announce(tx, rules, existing.id, 'incident.investigating', now);
  }
}

/**
 * Detection after a report's rows are written (in its transaction, the requesters already
 * locked): each (requester, task group) it names or named, and each requester it involves
 * (the report-rate trigger). The caller then recomputes every requester it involves.
 */
export async function detectIncidents(
  tx: SqlExecutor,
  rules: Rules,
  now: number,
  touched: { tasks: { requester: string; taskId: string }[]; requesters: string[] },
): Promise<void> {
  const { windowDays, openAccounts, rateFactor, rateMinAccounts, baselineDays } = rules.incidents;
  const windowFrom = now - windowDays * DAY_MS;
  const seen = new Set<string>();
  for (const { requester, taskId } of touched.tasks) {
    if (seen.has(`${requester}\n${taskId}`)) continue;
    seen.add(`${requester}\n${taskId}`);
    const existing = await incidentOf(tx, requester, taskId);
    const from = existing ? Math.min(Number(existing.first_report_at), windowFrom) : windowFrom;
    const counts = await taskCounts(tx, rules, requester, taskId, from, now);
    const why = `${counts.accounts} established accounts reported a suspension after this task within ${windowDays} days (threshold ${openAccounts})`;
    await settle(tx, rules, now, { requester, taskKey: taskId, title: counts.title ?? '' }, counts, existing, counts.accounts >= openAccounts, why);
  }
  for (const requester of new Set(touched.requesters)) {
    const existing = await incidentOf(tx, requester, '');
    const from = existing ? Math.min(Number(existing.first_report_at), windowFrom) : windowFrom;
    const counts = await requesterCounts(tx, rules, requester, from, windowFrom, now);
    // The baseline: its reports per window-length over the baseline period before the window.
    const baseline = (counts.baseline * windowDays) / baselineDays;
    const crossed = counts.accounts >= rateMinAccounts && counts.accounts >= rateFactor * baseline;
    const why = `${counts.accounts} established accounts reported suspensions within ${windowDays} days (at least ${rateMinAccounts} and ${rateFactor}× its baseline of ${baseline.toFixed(2)})`;
    await settle(tx, rules, now, { requester, taskKey: '', title: '' }, counts, existing, crossed, why);
  }
}

// ------------------------------------------------------------------ decisions

/**
 * Confirmed: its task group goes to every browser as "confirmed". Dismissed: it leaves the
 * feed. Either way it is closed (the clock for deleting its reports' notes starts); back to
 * open, it is replicated again as the counts say. Queues the webhook delivery. The caller
 * audits and recomputes the requester (returned as `requester`) in the same transaction —
 * or calls `setIncidentStatus`, which recomputes too.
 */
export async function decideIncident(tx: SqlExecutor, rules: Rules, id: string, status: IncidentStatus, now: number): Promise<IncidentRow> {
  const before = await incidentById(tx, id);
  if (!before) throw new DomainError(404, 'not_found', 'no such incident', 'id');
  if (before.status === status) throw new DomainError(409, 'already_decided', `the incident is already ${status}`, 'decision');
  const replicated =
    status === 'confirmed' ? 'confirmed' : status === 'dismissed' || before.task_key === '' || before.accounts < rules.incidents.investigateAccounts ? null : 'investigating';
  const closedAt = status === 'open' ? null : now;
  await tx.run('UPDATE incidents SET status = ?, replicated = ?, decided_at = ?, closed_at = ? WHERE id = ?', [status, replicated, now, closedAt, id]);
  const after: IncidentRow = { ...before, status, replicated, decided_at: now, closed_at: closedAt };
  const event = `incident.${status === 'open' ? 'reopened' : status}`;
  await queueWebhook(tx, event, webhookBody(event, incidentView(after, rules), now), now);
  return after;
}

/**
 * `decideIncident`, then the requester's replicated row recomputed (its suspect tasks), in
 * the caller's transaction. Recomputing the same requester again later in that
 * transaction is harmless (a no-op when nothing changed).
 */
export async function setIncidentStatus(tx: SqlExecutor, rules: Rules, id: string, status: IncidentStatus, now: number): Promise<IncidentRow> {
  const [row] = await tx.all<{ requester_key: string }>('SELECT requester_key FROM incidents WHERE id = ?', [id]);
  if (row) await touchRequester(tx, row.requester_key, null, now);
  const after = await decideIncident(tx, rules, id, status, now);
  await recomputeRequester(tx, after.requester_key, now, rules);
  return after;
}

// ------------------------------------------------------------------ notes

/**
 * Moderator-only notes are deleted `rules.incidents.noteRetentionDays` after an incident
 * they belong to closed (confirmed or dismissed): every row of each report that named the
 * incident's task group (or, for a requester-wide incident, its requester). Audited once
 * per run that deleted any. Returns how many report rows lost their note.
 */
export function purgeClosedIncidentNotes(driver: SqlDriver, rules: Rules, now: number): Promise<number> {
  const closedBefore = now - rules.incidents.noteRetentionDays * DAY_MS;
  return driver.write(async (tx) => {
    const closed = `SELECT s.report_id FROM suspension_reports s JOIN incidents i ON i.requester_key = s.requester_key
      WHERE i.closed_at IS NOT NULL AND i.closed_at <= ? AND i.status <> 'open'
        AND (i.task_key = '' OR EXISTS (SELECT 1 FROM suspension_report_tasks t WHERE t.report_row_id = s.id AND t.task_id = i.task_key))`;
    const purged = await tx.run(`UPDATE suspension_reports SET note = '', note_purged_at = ? WHERE note <> '' AND report_id IN (${closed})`, [now, closedBefore]);
    if (purged > 0) {
      await writeAudit(
        tx,
        {
          moderator: SERVER_MODERATOR,
          action: 'purge_report_notes',
          target: 'suspension_reports',
          reason: `notes of reports in incidents closed more than ${rules.incidents.noteRetentionDays} days ago`,
          detail: { reports: purged },
        },
        now,
      );
    }
    return purged;
  });
}
