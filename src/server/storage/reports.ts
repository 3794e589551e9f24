/**
 * Suspension reports (issue 11): one submission is one report id and one
 * `suspension_reports` row per requester it involves (UNIQUE per account and requester,
 * as before: a later report naming the same requester takes that row over), with each
 * picked task under its own requester in `suspension_report_tasks`. Every function here
 * runs inside a write transaction (Writes.idempotent), locks the requesters it touches in
 * key order, runs incident detection, and returns the requesters to recompute.
 */
import { randomBytes } from 'node:crypto';
import type { RequesterKey } from '../../core/requester-key.js';
import type { Rules } from '../../core/rules.js';
import { weekStart, type SuspensionReport } from '../../core/schemas.js';
import type { OwnSuspensionReport } from '../../core/sync-protocol.js';
import type { SqlExecutor } from './driver.js';
import { touchRequester } from './aggregate.js';
import { detectIncidents } from './incidents.js';
import { DomainError } from './errors.js';
import type { WriteContext } from './storage.js';

const newId = () => randomBytes(12).toString('base64url');
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export interface ReportOutcome {
  status: number;
  body: unknown;
  recompute: string[];
}

interface RowRecord {
  id: string;
  report_id: string;
  requester_key: string;
  reported_at: number;
  withdrawn_at: number | null;
}

type Canonical = <K extends string>(tx: SqlExecutor, key: K) => Promise<K>;

/** The report with every key made canonical (merged keys to the surviving one), duplicates dropped. */
async function canonicalReport(tx: SqlExecutor, report: SuspensionReport, canonical: Canonical): Promise<SuspensionReport> {
  const requesters = new Map<string, string>();
  for (const r of report.requesters) {
    const key = await canonical(tx, r.requester);
    if (!requesters.has(key)) requesters.set(key, r.requesterName);
  }
  const tasks: SuspensionReport['tasks'] = [];
  const seen = new Set<string>();
  for (const t of report.tasks) {
    const requester = await canonical(tx, t.requester);
    if (seen.has(`${requester}\n${t.taskId}`)) continue;
    seen.add(`${requester}\n${t.taskId}`);
    tasks.push({ ...t, requester });
    if (!requesters.has(requester)) requesters.set(requester, t.requesterName);
  }
  return { ...report, tasks, requesters: [...requesters].map(([requester, requesterName]) => ({ requester: requester as RequesterKey, requesterName })) };
}

/**
 * Lock every requester in key order (two reports naming the same requesters in another
 * order must not deadlock). A name that is only the key (nothing better was known) never
 * overwrites a real one.
 */
async function lockRequesters(tx: SqlExecutor, names: Map<string, string | null>, now: number): Promise<string[]> {
  const keys = [...names.keys()].sort();
  for (const key of keys) {
    let name = names.get(key) ?? null;
    if (name === key) {
      const [known] = await tx.all<{ key: string }>('SELECT key FROM requesters WHERE key = ?', [key]);
      if (known) name = null;
    }
    await touchRequester(tx, key, name, now);
  }
  return keys;
}

async function tasksOfRows(tx: SqlExecutor, rowIds: string[]): Promise<{ report_row_id: string; requester_key: string; task_id: string; reported_at: number }[]> {
  if (rowIds.length === 0) return [];
  return tx.all(`SELECT report_row_id, requester_key, task_id, reported_at FROM suspension_report_tasks WHERE report_row_id IN (${placeholders(rowIds.length)})`, rowIds);
}

/** Withdrawn: out of every count and view; its note and tasks are deleted, the row stays (one per account and requester). */
async function withdrawRows(tx: SqlExecutor, rowIds: string[], now: number): Promise<void> {
  if (rowIds.length === 0) return;
  const ids = placeholders(rowIds.length);
  await tx.run(`DELETE FROM suspension_report_tasks WHERE report_row_id IN (${ids})`, rowIds);
  await tx.run(`UPDATE suspension_reports SET withdrawn_at = ?, note = '', tasks_json = '[]', updated_at = ? WHERE id IN (${ids})`, [now, now, ...rowIds]);
}

/**
 * Files a report (`reportId` null: a new submission, POST) or replaces one of the
 * account's own (PUT): rows of requesters it no longer names are withdrawn. A POST dates
 * every row and task it names now (a new report); a PUT keeps the dates of what was
 * already reported (an edit does not make old reports new).
 */
export async function fileReport(
  tx: SqlExecutor,
  ctx: WriteContext,
  rules: Rules,
  input: SuspensionReport,
  reportId: string | null,
  canonical: Canonical,
): Promise<ReportOutcome> {
  const now = ctx.now;
  const account = ctx.account.id;
  const report = await canonicalReport(tx, input, canonical);
  const previous = reportId
    ? await tx.all<RowRecord>('SELECT id, report_id, requester_key, reported_at, withdrawn_at FROM suspension_reports WHERE account_id = ? AND report_id = ? AND withdrawn_at IS NULL', [account, reportId])
    : [];
  if (reportId && previous.length === 0) throw new DomainError(404, 'not_found', 'no such suspension report of yours', 'id');
  const id = reportId ?? newId();

  const names = new Map<string, string | null>(previous.map((r) => [r.requester_key, null]));
  for (const r of report.requesters) names.set(r.requester, r.requesterName);
  const touched = await lockRequesters(tx, names, now);

  const keys = report.requesters.map((r) => r.requester);
  const existing = keys.length
    ? await tx.all<RowRecord>(
        `SELECT id, report_id, requester_key, reported_at, withdrawn_at FROM suspension_reports WHERE account_id = ? AND requester_key IN (${placeholders(keys.length)})`,
        [account, ...keys],
      )
    : [];
  const byRequester = new Map(existing.map((r) => [r.requester_key, r]));
  const oldTasks = await tasksOfRows(tx, [...existing, ...previous].map((r) => r.id));
  const keptTaskTimes = new Map(oldTasks.map((t) => [`${t.report_row_id}\n${t.task_id}`, t.reported_at]));

  let created = false;
  let firstNewRow = true;
  for (const { requester } of report.requesters) {
    const tasks = report.tasks.filter((t) => t.requester === requester);
    const fields = [weekStart(report.suspendedWeek), report.reinstated ? 1 : 0, JSON.stringify(tasks.map((t) => ({ taskId: t.taskId, taskTitle: t.taskTitle }))), report.note];
    const row = byRequester.get(requester);
    // An edit keeps the dates of a row that was already part of this report; anything else is reported now.
    const editing = reportId !== null && row !== undefined && row.report_id === reportId && row.withdrawn_at === null;
    const reportedAt = editing ? row.reported_at : now;
    let rowId: string;
    if (row) {
      rowId = row.id;
      if (row.withdrawn_at !== null) created = true;
      // A new report is open until a moderator decides it; an edit keeps the decision.
      await tx.run(
        `UPDATE suspension_reports SET suspended_on = ?, reinstated = ?, tasks_json = ?, note = ?, updated_at = ?, report_id = ?, reported_at = ?, withdrawn_at = NULL,
           status = CASE WHEN ? = 1 THEN status ELSE 'open' END WHERE id = ?`,
        [...fields, now, id, reportedAt, editing ? 1 : 0, rowId],
      );
      await tx.run('DELETE FROM suspension_report_tasks WHERE report_row_id = ?', [rowId]);
    } else {
      // The first new row takes the report's id: a moderator's action naming the report finds its account.
      rowId = firstNewRow && !reportId ? id : newId();
      firstNewRow = false;
      created = true;
      await tx.run(
        `INSERT INTO suspension_reports (id, account_id, requester_key, suspended_on, reinstated, tasks_json, note, updated_at, reported_at, report_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [rowId, account, requester, ...fields, now, reportedAt, id],
      );
    }
    for (const t of tasks) {
      const at = editing ? (keptTaskTimes.get(`${rowId}\n${t.taskId}`) ?? reportedAt) : now;
      await tx.run(
        `INSERT INTO suspension_report_tasks (report_row_id, account_id, requester_key, task_id, task_title, reported_at) VALUES (?, ?, ?, ?, ?, ?)`,
        [rowId, account, requester, t.taskId, t.taskTitle, at],
      );
    }
  }
  const named = new Set(keys);
  await withdrawRows(tx, previous.filter((r) => !named.has(r.requester_key)).map((r) => r.id), now);

  await detectIncidents(tx, rules, now, {
    tasks: [...oldTasks.map((t) => ({ requester: t.requester_key, taskId: t.task_id })), ...report.tasks.map((t) => ({ requester: t.requester, taskId: t.taskId }))],
    requesters: touched,
  });
  return { status: reportId ? 200 : created ? 201 : 200, body: { id, created: reportId ? false : created }, recompute: touched };
}

/** The author withdraws a whole report: it leaves every count; moderators keep no note of it. */
export async function withdrawReport(tx: SqlExecutor, ctx: WriteContext, rules: Rules, reportId: string): Promise<ReportOutcome> {
  const rows = await tx.all<RowRecord>(
    'SELECT id, report_id, requester_key, reported_at, withdrawn_at FROM suspension_reports WHERE account_id = ? AND report_id = ? AND withdrawn_at IS NULL',
    [ctx.account.id, reportId],
  );
  // Someone else's report looks exactly like a missing one: ids reveal nothing.
  if (rows.length === 0) throw new DomainError(404, 'not_found', 'no such suspension report of yours', 'id');
  const touched = await lockRequesters(tx, new Map(rows.map((r) => [r.requester_key, null])), ctx.now);
  const tasks = await tasksOfRows(tx, rows.map((r) => r.id));
  await withdrawRows(tx, rows.map((r) => r.id), ctx.now);
  await detectIncidents(tx, rules, ctx.now, { tasks: tasks.map((t) => ({ requester: t.requester_key, taskId: t.task_id })), requesters: touched });
  return { status: 200, body: { withdrawn: reportId }, recompute: touched };
}

/**
 * The account's own reports, newest first; withdrawn ones are gone. Status: confirmed or
 * dismissed once a moderator decided any of its requesters or incidents, else open.
 */
export async function ownSuspensionReports(tx: SqlExecutor, accountId: string): Promise<OwnSuspensionReport[]> {
  const rows = await tx.all<{ id: string; report_id: string; requester_key: string; name: string; suspended_on: string; reinstated: number; reported_at: number; updated_at: number; status: string; note: string }>(
    `SELECT s.id, s.report_id, s.requester_key, q.name, s.suspended_on, s.reinstated, s.reported_at, s.updated_at, s.status, s.note
     FROM suspension_reports s JOIN requesters q ON q.key = s.requester_key
     WHERE s.account_id = ? AND s.withdrawn_at IS NULL ORDER BY s.requester_key`,
    [accountId],
  );
  const tasks = await tx.all<{ report_row_id: string; requester_key: string; task_id: string; task_title: string }>(
    `SELECT t.report_row_id, t.requester_key, t.task_id, t.task_title FROM suspension_report_tasks t WHERE t.account_id = ? ORDER BY t.requester_key, t.task_id`,
    [accountId],
  );
  const decided = await tx.all<{ requester_key: string; task_key: string; status: string }>(
    `SELECT requester_key, task_key, status FROM incidents WHERE status <> 'open'
     AND requester_key IN (SELECT requester_key FROM suspension_reports WHERE account_id = ? AND withdrawn_at IS NULL)`,
    [accountId],
  );
  const incidentStatus = new Map(decided.map((i) => [`${i.requester_key}\n${i.task_key}`, i.status]));
  const reports = new Map<string, OwnSuspensionReport & { latest: number; statuses: Set<string> }>();
  const rowReport = new Map<string, string>();
  for (const r of rows) {
    rowReport.set(r.id, r.report_id);
    let report = reports.get(r.report_id);
    if (!report) {
      report = {
        id: r.report_id,
        tasks: [],
        requesters: [],
        suspendedWeek: weekStart(r.suspended_on),
        reinstated: r.reinstated === 1,
        note: r.note,
        status: 'open',
        reportedAt: new Date(Number(r.reported_at)).toISOString(),
        updatedAt: new Date(Number(r.updated_at)).toISOString(),
        latest: Number(r.reported_at),
        statuses: new Set(),
      };
      reports.set(r.report_id, report);
    }
    report.requesters.push({ requester: r.requester_key as RequesterKey, requesterName: r.name });
    report.statuses.add(r.status);
    const requesterWide = incidentStatus.get(`${r.requester_key}\n`);
    if (requesterWide) report.statuses.add(requesterWide);
    if (Number(r.reported_at) < Date.parse(report.reportedAt)) report.reportedAt = new Date(Number(r.reported_at)).toISOString();
    if (Number(r.updated_at) > Date.parse(report.updatedAt)) report.updatedAt = new Date(Number(r.updated_at)).toISOString();
    report.latest = Math.max(report.latest, Number(r.reported_at));
  }
  const names = new Map(rows.map((r) => [r.requester_key, r.name]));
  for (const t of tasks) {
    const report = reports.get(rowReport.get(t.report_row_id) ?? '');
    if (!report) continue;
    report.tasks.push({ requester: t.requester_key as RequesterKey, requesterName: names.get(t.requester_key) ?? t.requester_key, taskId: t.task_id, taskTitle: t.task_title });
    const status = incidentStatus.get(`${t.requester_key}\n${t.task_id}`);
    if (status) report.statuses.add(status);
  }
  return [...reports.values()]
    .sort((a, b) => b.latest - a.latest || a.id.localeCompare(b.id))
    .map(({ latest: _latest, statuses, ...report }) => ({ ...report, status: statuses.has('confirmed') ? 'confirmed' : statuses.has('dismissed') ? 'dismissed' : 'open' }));
}
