/**
 * Counting suspension reports per (requester, task group) and per requester (issue 11):
 * distinct established accounts — the rules' test, as `established` in aggregate.ts —
 * and reports, within a window. Withdrawn and dismissed reports count nowhere. Used by
 * the correlation view and by incident detection (incidents.ts).
 */
import type { Correlation, CorrelationRow } from '../../core/moderation-protocol.js';
import type { Rules } from '../../core/rules.js';
import type { SqlExecutor, SqlValue } from './driver.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(Number(ms)).toISOString();

/** The rules' established-account test in SQL (see `established` in aggregate.ts): [condition, params]. */
function establishedSql(at: string, rules: Rules, now: number): [string, SqlValue[]] {
  return [
    `a.banned_at IS NULL AND ${at} - a.created_at >= ? AND (a.muted_until IS NULL OR a.muted_until <= ?)`,
    [rules.danger.establishedAfterDays * DAY_MS, now],
  ];
}

/** Reports that count: not withdrawn by their author, not dismissed by a moderator. */
const COUNTED = `s.withdrawn_at IS NULL AND s.status <> 'dismissed'`;

export interface Counts {
  accounts: number;
  reports: number;
  first_at: number | null;
  last_at: number | null;
  title: string | null;
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
  const [established, params] = establishedSql('t.reported_at', rules, now);
  const rows = await tx.all<CorrelationSqlRow>(
    `SELECT g.requester_key, q.name, g.task_id, g.task_title, g.accounts, g.reports, g.first_at, g.last_at, i.id AS incident_id
     FROM (
       SELECT t.requester_key, t.task_id, MAX(t.task_title) AS task_title,
         COUNT(DISTINCT CASE WHEN ${established} THEN t.account_id END) AS accounts,
         COUNT(*) AS reports, MIN(t.reported_at) AS first_at, MAX(t.reported_at) AS last_at
       FROM suspension_report_tasks t
       JOIN suspension_reports s ON s.id = t.report_row_id
       JOIN accounts a ON a.id = t.account_id
       WHERE t.reported_at >= ? AND ${COUNTED}
       GROUP BY t.requester_key, t.task_id
     ) g
     LEFT JOIN requesters q ON q.key = g.requester_key
     LEFT JOIN incidents i ON i.requester_key = g.requester_key AND i.task_key = g.task_id
     WHERE g.accounts >= ?
     ORDER BY g.accounts DESC, g.reports DESC, g.last_at DESC, g.requester_key, g.task_id
     LIMIT 100`,
    [...params, now - days * DAY_MS, min],
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

export async function taskCounts(tx: SqlExecutor, rules: Rules, requester: string, taskId: string, from: number, now: number): Promise<Counts> {
  const [established, params] = establishedSql('t.reported_at', rules, now);
  const [row] = await tx.all<Counts>(
    `SELECT COUNT(DISTINCT CASE WHEN ${established} THEN t.account_id END) AS accounts, COUNT(*) AS reports,
       MIN(t.reported_at) AS first_at, MAX(t.reported_at) AS last_at, MAX(t.task_title) AS title
     FROM suspension_report_tasks t JOIN suspension_reports s ON s.id = t.report_row_id JOIN accounts a ON a.id = t.account_id
     WHERE t.requester_key = ? AND t.task_id = ? AND t.reported_at >= ? AND ${COUNTED}`,
    [...params, requester, taskId, from],
  );
  return { accounts: Number(row?.accounts ?? 0), reports: Number(row?.reports ?? 0), first_at: row?.first_at ?? null, last_at: row?.last_at ?? null, title: row?.title ?? null };
}

/** Reports of a requester (whatever their tasks) from `from`, and how many came in the baseline period before `windowFrom`. */
export async function requesterCounts(tx: SqlExecutor, rules: Rules, requester: string, from: number, windowFrom: number, now: number) {
  const [established, params] = establishedSql('s.reported_at', rules, now);
  const baselineFrom = windowFrom - rules.incidents.baselineDays * DAY_MS;
  const [row] = await tx.all<{ accounts: number; reports: number; baseline: number; first_at: number | null; last_at: number | null }>(
    `SELECT COUNT(DISTINCT CASE WHEN s.reported_at >= ? AND ${established} THEN s.account_id END) AS accounts,
       SUM(CASE WHEN s.reported_at >= ? THEN 1 ELSE 0 END) AS reports,
       SUM(CASE WHEN s.reported_at < ? THEN 1 ELSE 0 END) AS baseline,
       MIN(CASE WHEN s.reported_at >= ? THEN s.reported_at END) AS first_at, MAX(s.reported_at) AS last_at
     FROM suspension_reports s JOIN accounts a ON a.id = s.account_id
     WHERE s.requester_key = ? AND s.reported_at >= ? AND ${COUNTED}`,
    [from, ...params, from, windowFrom, from, requester, Math.min(from, baselineFrom)],
  );
  return {
    accounts: Number(row?.accounts ?? 0),
    reports: Number(row?.reports ?? 0),
    baseline: Number(row?.baseline ?? 0),
    first_at: row?.first_at ?? null,
    last_at: row?.last_at ?? null,
  };
}
