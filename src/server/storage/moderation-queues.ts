/**
 * Moderation storage, the reading half: the queues (paged in SQL, never in the browser),
 * incidents, the correlation, the audit log and the rules versions. `ModerationStore`
 * (moderation.ts) adds the actions and the roles on top of this class.
 */
import {
  PER_PAGE_DEFAULT,
  type AuditAction,
  type AuditEntry,
  type Correlation,
  type FlagCount,
  type FlaggedItem,
  type HeldItem,
  type Incident,
  type IssueGroup,
  type ModerationRole,
  type Page,
  type QueueCounts,
  type ReportView,
  type RulesVersionInfo,
  type SuspensionGroup,
} from '../../core/moderation-protocol.js';
import type { Rules } from '../../core/rules.js';
import type { RequesterSummary } from '../../core/schemas.js';
import { EncodedSummary, decodeSummary } from '../../core/sync-protocol.js';
import type { SqlDriver, SqlExecutor, SqlValue } from './driver.js';
import { REVIEW_COLUMNS, publicReview, type ReviewRecord } from './views.js';
import { correlation, listIncidents, type IncidentStatus } from './incidents.js';

export const DAY_MS = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();

export interface Moderator {
  accountId: string;
  pseudonym: string;
  role: ModerationRole;
}

export interface PageQuery {
  page?: number;
  perPage?: number;
}

export interface ActionOutcome {
  recomputed: string[];
  detail?: Record<string, unknown>;
}

/** What `publishRules` needs from the storage that owns the rules in force. */
export interface RulesHolder {
  get(): Rules;
  set(rules: Rules): void;
}

function paging(q: PageQuery): { page: number; perPage: number; offset: number } {
  const page = q.page ?? 1;
  const perPage = q.perPage ?? PER_PAGE_DEFAULT;
  return { page, perPage, offset: (page - 1) * perPage };
}

export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export class ModerationQueues {
  constructor(
    protected readonly driver: SqlDriver,
    protected readonly rules: RulesHolder,
  ) {}

  // ------------------------------------------------------------------ queues

  async counts(): Promise<QueueCounts> {
    const [row] = await this.driver.query<{ flagged: number; held: number; suspensions: number; issues: number; incidents: number }>(
      `SELECT
        (SELECT COUNT(*) FROM reviews r WHERE r.status = 'visible' AND r.deleted_at IS NULL
           AND EXISTS (SELECT 1 FROM review_flags f WHERE f.review_id = r.id AND f.resolved_at IS NULL)) AS flagged,
        (SELECT COUNT(*) FROM reviews WHERE status = 'held' AND deleted_at IS NULL) AS held,
        (SELECT COUNT(DISTINCT requester_key) FROM suspension_reports WHERE status = 'open') AS suspensions,
        (SELECT COUNT(DISTINCT requester_key) FROM requester_flags WHERE status = 'open') AS issues,
        (SELECT COUNT(*) FROM incidents WHERE status = 'open') AS incidents`,
    );
    return {
      flagged: Number(row?.flagged ?? 0),
      held: Number(row?.held ?? 0),
      suspensions: Number(row?.suspensions ?? 0),
      issues: Number(row?.issues ?? 0),
      incidents: Number(row?.incidents ?? 0),
    };
  }

  private decode(rowJson: string | null): RequesterSummary | null {
    if (!rowJson) return null;
    const parsed = EncodedSummary.safeParse(JSON.parse(rowJson));
    return parsed.success ? decodeSummary(parsed.data, this.rules.get()) : null;
  }

  private async requesterInfo(tx: SqlExecutor, keys: string[]): Promise<Map<string, { name: string; summary: RequesterSummary | null }>> {
    const out = new Map<string, { name: string; summary: RequesterSummary | null }>();
    if (keys.length === 0) return out;
    const unique = [...new Set(keys)];
    const rows = await tx.all<{ key: string; name: string; row_json: string }>(
      `SELECT key, name, row_json FROM requesters WHERE key IN (${placeholders(unique.length)})`,
      unique,
    );
    for (const r of rows) out.set(r.key, { name: r.name, summary: this.decode(r.row_json) });
    return out;
  }

  private async flagsOf(tx: SqlExecutor, reviewIds: string[]): Promise<Map<string, { flaggers: number; last: number; flags: FlagCount[] }>> {
    const out = new Map<string, { flaggers: number; last: number; flags: FlagCount[] }>();
    if (reviewIds.length === 0) return out;
    const rows = await tx.all<{ review_id: string; account_id: string; reason: string; note: string; created_at: number }>(
      `SELECT review_id, account_id, reason, note, created_at FROM review_flags WHERE resolved_at IS NULL AND review_id IN (${placeholders(reviewIds.length)})
       ORDER BY created_at`,
      reviewIds,
    );
    const accounts = new Map<string, Set<string>>();
    for (const r of rows) {
      const entry = out.get(r.review_id) ?? { flaggers: 0, last: 0, flags: [] };
      out.set(r.review_id, entry);
      const set = accounts.get(r.review_id) ?? new Set();
      accounts.set(r.review_id, set);
      set.add(r.account_id);
      entry.flaggers = set.size;
      entry.last = Math.max(entry.last, r.created_at);
      let reason = entry.flags.find((f) => f.reason === r.reason);
      if (!reason) entry.flags.push((reason = { reason: r.reason, count: 0, notes: [] }));
      reason.count += 1;
      if (r.note && reason.notes.length < 5) reason.notes.push(r.note);
    }
    return out;
  }

  private async reviewItems(tx: SqlExecutor, rows: ReviewRecord[]): Promise<FlaggedItem[]> {
    const info = await this.requesterInfo(tx, rows.map((r) => r.requester_key));
    const flags = await this.flagsOf(tx, rows.map((r) => r.id));
    return rows.map((row) => {
      const f = flags.get(row.id);
      const requester = info.get(row.requester_key);
      return {
        review: { ...publicReview(row), status: row.status as 'visible', statusReason: row.status_reason },
        requester: { key: row.requester_key, name: requester?.name ?? '' },
        summary: requester?.summary ?? null,
        distinctFlaggers: f?.flaggers ?? 0,
        flags: f?.flags ?? [],
        lastFlaggedAt: f ? iso(f.last) : '',
      };
    });
  }

  /** Visible reviews with unresolved flags: most flaggers first, then the longest waiting. */
  flagged(q: PageQuery & { reason?: string; requester?: string }): Promise<Page<FlaggedItem>> {
    const { page, perPage, offset } = paging(q);
    return this.driver.read(async (tx) => {
      const where: string[] = [`r.status = 'visible'`, 'r.deleted_at IS NULL'];
      const params: SqlValue[] = [];
      if (q.requester) {
        where.push('r.requester_key = ?');
        params.push(q.requester);
      }
      if (q.reason) {
        where.push('EXISTS (SELECT 1 FROM review_flags x WHERE x.review_id = r.id AND x.resolved_at IS NULL AND x.reason = ?)');
        params.push(q.reason);
      }
      const from = `FROM (SELECT review_id, COUNT(DISTINCT account_id) AS flaggers, MAX(created_at) AS last_at
                           FROM review_flags WHERE resolved_at IS NULL GROUP BY review_id) f
                    JOIN reviews r ON r.id = f.review_id WHERE ${where.join(' AND ')}`;
      const [count] = await tx.all<{ n: number }>(`SELECT COUNT(*) AS n ${from}`, params);
      const rows = await tx.all<ReviewRecord>(
        `SELECT ${REVIEW_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')} ${from}
         ORDER BY f.flaggers DESC, f.last_at, r.id LIMIT ? OFFSET ?`,
        [...params, perPage, offset],
      );
      return { items: await this.reviewItems(tx, rows), total: Number(count?.n ?? 0), page, perPage };
    });
  }

  /** Held (brigade or three flags) or hidden reviews, oldest first. */
  byStatus(status: 'held' | 'hidden', q: PageQuery & { reason?: string; requester?: string }): Promise<Page<HeldItem>> {
    const { page, perPage, offset } = paging(q);
    return this.driver.read(async (tx) => {
      const where = ['status = ?', 'deleted_at IS NULL'];
      const params: SqlValue[] = [status];
      if (q.reason) {
        where.push('status_reason = ?');
        params.push(q.reason);
      }
      if (q.requester) {
        where.push('requester_key = ?');
        params.push(q.requester);
      }
      const filter = where.join(' AND ');
      const [count] = await tx.all<{ n: number }>(`SELECT COUNT(*) AS n FROM reviews WHERE ${filter}`, params);
      const rows = await tx.all<ReviewRecord>(`SELECT ${REVIEW_COLUMNS} FROM reviews WHERE ${filter} ORDER BY created_at, id LIMIT ? OFFSET ?`, [
        ...params,
        perPage,
        offset,
      ]);
      const items = await this.reviewItems(tx, rows);
      return { items: items.map((item) => ({ ...item, heldReason: item.review.statusReason ?? '' })), total: Number(count?.n ?? 0), page, perPage };
    });
  }

  /** Suspension reports grouped by requester: the most open reports first. */
  suspensions(q: PageQuery & { status?: string; requester?: string }): Promise<Page<SuspensionGroup>> {
    const { page, perPage, offset } = paging(q);
    const status = q.status ?? 'open';
    return this.driver.read(async (tx) => {
      const params: SqlValue[] = [];
      let filter = '';
      if (q.requester) {
        filter = 'WHERE requester_key = ?';
        params.push(q.requester);
      }
      const grouped = `SELECT requester_key, COUNT(*) AS reports, SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_n,
          SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS matching, MAX(reported_at) AS latest
        FROM suspension_reports ${filter} GROUP BY requester_key`;
      const allParams = [status, ...params];
      const [count] = await tx.all<{ n: number }>(`SELECT COUNT(*) AS n FROM (${grouped}) g WHERE g.matching > 0`, allParams);
      const rows = await tx.all<{ requester_key: string; reports: number; open_n: number; latest: number }>(
        `SELECT g.requester_key, g.reports, g.open_n, g.latest FROM (${grouped}) g WHERE g.matching > 0
         ORDER BY g.open_n DESC, g.latest DESC, g.requester_key LIMIT ? OFFSET ?`,
        [...allParams, perPage, offset],
      );
      const keys = rows.map((r) => r.requester_key);
      const info = await this.requesterInfo(tx, keys);
      const confirmed = new Map<string, boolean>();
      const tasks = new Map<string, Map<string, { taskTitle: string; reports: number }>>();
      if (keys.length > 0) {
        for (const r of await tx.all<{ key: string; suspension_confirmed: number }>(
          `SELECT key, suspension_confirmed FROM requesters WHERE key IN (${placeholders(keys.length)})`,
          keys,
        )) {
          confirmed.set(r.key, r.suspension_confirmed === 1);
        }
        for (const r of await tx.all<{ requester_key: string; tasks_json: string }>(
          `SELECT requester_key, tasks_json FROM suspension_reports WHERE requester_key IN (${placeholders(keys.length)})`,
          keys,
        )) {
          const byTask = tasks.get(r.requester_key) ?? new Map();
          tasks.set(r.requester_key, byTask);
          for (const t of JSON.parse(r.tasks_json) as { taskId: string; taskTitle: string }[]) {
            const entry = byTask.get(t.taskId) ?? { taskTitle: t.taskTitle, reports: 0 };
            entry.reports += 1;
            byTask.set(t.taskId, entry);
          }
        }
      }
      const items = rows.map((r): SuspensionGroup => ({
        requester: { key: r.requester_key, name: info.get(r.requester_key)?.name ?? '' },
        summary: info.get(r.requester_key)?.summary ?? null,
        reports: Number(r.reports),
        open: Number(r.open_n),
        latestAt: iso(Number(r.latest)),
        confirmed: confirmed.get(r.requester_key) ?? false,
        topTasks: [...(tasks.get(r.requester_key) ?? new Map()).entries()]
          .map(([taskId, t]) => ({ taskId, taskTitle: t.taskTitle, reports: t.reports }))
          .sort((a, b) => b.reports - a.reports || a.taskId.localeCompare(b.taskId))
          .slice(0, 5),
      }));
      return { items, total: Number(count?.n ?? 0), page, perPage };
    });
  }

  /** Every report about one requester (notes included: moderators only). */
  async suspensionReports(key: string): Promise<ReportView[]> {
    const rules = this.rules.get();
    const rows = await this.driver.query<{
      id: string;
      suspended_on: string;
      reinstated: number;
      tasks_json: string;
      note: string;
      reported_at: number;
      status: ReportView['status'];
      created_at: number;
      muted_until: number | null;
      banned_at: number | null;
    }>(
      `SELECT s.id, s.suspended_on, s.reinstated, s.tasks_json, s.note, s.reported_at, s.status, a.created_at, a.muted_until, a.banned_at
       FROM suspension_reports s JOIN accounts a ON a.id = s.account_id WHERE s.requester_key = ? ORDER BY s.reported_at DESC, s.id LIMIT 500`,
      [key],
    );
    const now = Date.now();
    return rows.map((r) => ({
      id: r.id,
      suspendedOn: r.suspended_on,
      reinstated: r.reinstated === 1,
      tasks: JSON.parse(r.tasks_json) as ReportView['tasks'],
      note: r.note,
      reportedAt: iso(r.reported_at),
      status: r.status,
      established:
        r.banned_at === null &&
        r.reported_at - r.created_at >= rules.danger.establishedAfterDays * DAY_MS &&
        (r.muted_until === null || r.muted_until <= now),
    }));
  }

  /** "N established accounts reported a suspension after task T of requester R within D days". */
  correlation(days: number, min: number, now: number): Promise<Correlation> {
    return this.driver.read((tx) => correlation(tx, this.rules.get(), days, min, now));
  }

  /** Incidents, open ones first (or one status), newest first. */
  incidents(q: PageQuery & { status?: IncidentStatus }): Promise<Page<Incident>> {
    const { page, perPage, offset } = paging(q);
    return this.driver.read((tx) => listIncidents(tx, this.rules.get(), { ...(q.status ? { status: q.status } : {}), page, perPage, offset }));
  }

  /** Requester issue flags (phishing, personal data, broken, unpaid screener) grouped by requester. */
  issues(q: PageQuery & { status?: string; reason?: string; requester?: string }): Promise<Page<IssueGroup>> {
    const { page, perPage, offset } = paging(q);
    const status = q.status ?? 'open';
    return this.driver.read(async (tx) => {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (q.requester) {
        where.push('requester_key = ?');
        params.push(q.requester);
      }
      if (q.reason) {
        where.push('reason = ?');
        params.push(q.reason);
      }
      const grouped = `SELECT requester_key, SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_n,
          SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS matching, MAX(created_at) AS latest
        FROM requester_flags ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY requester_key`;
      const allParams = [status, ...params];
      const [count] = await tx.all<{ n: number }>(`SELECT COUNT(*) AS n FROM (${grouped}) g WHERE g.matching > 0`, allParams);
      const rows = await tx.all<{ requester_key: string; open_n: number; latest: number }>(
        `SELECT g.requester_key, g.open_n, g.latest FROM (${grouped}) g WHERE g.matching > 0
         ORDER BY g.open_n DESC, g.latest DESC, g.requester_key LIMIT ? OFFSET ?`,
        [...allParams, perPage, offset],
      );
      const keys = rows.map((r) => r.requester_key);
      const info = await this.requesterInfo(tx, keys);
      const flags = new Map<string, IssueGroup['flags']>();
      const confirmed = new Map<string, boolean>();
      if (keys.length > 0) {
        for (const f of await tx.all<{ id: string; requester_key: string; reason: string; task_id: string | null; note: string; created_at: number; status: string }>(
          `SELECT id, requester_key, reason, task_id, note, created_at, status FROM requester_flags
           WHERE requester_key IN (${placeholders(keys.length)}) ORDER BY created_at DESC, id`,
          keys,
        )) {
          const list = flags.get(f.requester_key) ?? [];
          flags.set(f.requester_key, list);
          list.push({ id: f.id, reason: f.reason, taskId: f.task_id, note: f.note, createdAt: iso(f.created_at), status: f.status });
        }
        for (const r of await tx.all<{ key: string; phishing_confirmed: number }>(
          `SELECT key, phishing_confirmed FROM requesters WHERE key IN (${placeholders(keys.length)})`,
          keys,
        )) {
          confirmed.set(r.key, r.phishing_confirmed === 1);
        }
      }
      const items = rows.map((r): IssueGroup => {
        const list = flags.get(r.requester_key) ?? [];
        const counts: IssueGroup['counts'] = {};
        for (const f of list) if (f.status !== 'dismissed') counts[f.reason as keyof IssueGroup['counts']] = (counts[f.reason as keyof IssueGroup['counts']] ?? 0) + 1;
        return {
          requester: { key: r.requester_key, name: info.get(r.requester_key)?.name ?? '' },
          summary: info.get(r.requester_key)?.summary ?? null,
          counts,
          open: Number(r.open_n),
          latestAt: iso(Number(r.latest)),
          confirmed: confirmed.get(r.requester_key) ?? false,
          flags: list.slice(0, 20),
        };
      });
      return { items, total: Number(count?.n ?? 0), page, perPage };
    });
  }

  auditLog(q: PageQuery & { action?: string; moderator?: string; target?: string }): Promise<Page<AuditEntry>> {
    const { page, perPage, offset } = paging(q);
    return this.driver.read(async (tx) => {
      const where: string[] = [];
      const params: SqlValue[] = [];
      for (const [column, value] of [
        ['action', q.action],
        ['moderator', q.moderator],
        ['target', q.target],
      ] as const) {
        if (value) {
          where.push(`${column} = ?`);
          params.push(value);
        }
      }
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const [count] = await tx.all<{ n: number }>(`SELECT COUNT(*) AS n FROM audit_log ${filter}`, params);
      const rows = await tx.all<{ id: string; at: number; moderator: string; action: AuditAction; target: string; reason: string; detail_json: string }>(
        `SELECT id, at, moderator, action, target, reason, detail_json FROM audit_log ${filter} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
        [...params, perPage, offset],
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: iso(r.at),
          moderator: r.moderator,
          action: r.action,
          target: r.target,
          reason: r.reason,
          detail: JSON.parse(r.detail_json) as Record<string, unknown>,
        })),
        total: Number(count?.n ?? 0),
        page,
        perPage,
      };
    });
  }

  async rulesVersions(): Promise<RulesVersionInfo[]> {
    const rows = await this.driver.query<{ version: number; published_at: number }>('SELECT version, published_at FROM rules_versions ORDER BY version DESC');
    return rows.map((r) => ({ version: r.version, publishedAt: iso(r.published_at) }));
  }
}
