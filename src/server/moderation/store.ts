/**
 * Moderation storage: the queues (paged in SQL, never in the browser), the actions, the
 * audit log and the roles. Written once over the portable SQL of the SqlDriver, like the
 * rest of the storage. Every action is one transaction: change rows, write the audit
 * entry, recompute the touched requesters (which moves the sync feed) — all or nothing.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  PER_PAGE_DEFAULT,
  type AccountTarget,
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
import type { RequesterSummary, Review } from '../../core/schemas.js';
import { EncodedSummary, decodeSummary } from '../../core/sync-protocol.js';
import type { SqlDriver, SqlExecutor, SqlValue } from '../storage/driver.js';
import { recomputeRequester, removeRequesterRow, touchRequester } from '../storage/aggregate.js';
import { DomainError } from '../storage/storage.js';
import { REVIEW_COLUMNS, pseudonym, publicReview, type ReviewRecord } from '../storage/views.js';
import { correlation, decideIncident, incidentById, listIncidents, writeAudit, type IncidentStatus } from '../storage/incidents.js';
import { WebhookOutbox } from './webhook-outbox.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
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

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** A short reference to an account for the audit log: equal for equal accounts, never the id. */
function accountRef(pepper: string, accountId: string): string {
  return `acct-${createHmac('sha256', pepper).update(`audit\n${accountId}`).digest('base64url').slice(0, 10)}`;
}

export class ModerationStore {
  /** The webhook outbox, for the sender (src/server/webhook.ts). */
  readonly webhooks: WebhookOutbox;

  constructor(
    private readonly driver: SqlDriver,
    private readonly pepper: string,
    private readonly rules: RulesHolder,
  ) {
    this.webhooks = new WebhookOutbox(driver);
  }

  // ------------------------------------------------------------------ roles

  async roleOf(accountId: string): Promise<{ role: ModerationRole; pseudonym: string } | null> {
    const [row] = await this.driver.query<{ role: ModerationRole; pseudonym: string }>('SELECT role, pseudonym FROM account_roles WHERE account_id = ?', [
      accountId,
    ]);
    return row ?? null;
  }

  async listRoles(): Promise<{ pseudonym: string; role: ModerationRole; grantedAt: number; reference: string }[]> {
    const rows = await this.driver.query<{ pseudonym: string; role: ModerationRole; granted_at: number; secret_hash: string }>(
      'SELECT r.pseudonym, r.role, r.granted_at, a.secret_hash FROM account_roles r JOIN accounts a ON a.id = r.account_id ORDER BY r.pseudonym',
    );
    return rows.map((r) => ({ pseudonym: r.pseudonym, role: r.role, grantedAt: r.granted_at, reference: r.secret_hash }));
  }

  /** Only the `npm run moderator` command calls this: no API grants a role. */
  grantRole(accountId: string, role: ModerationRole, name: string | null, now: number): Promise<{ pseudonym: string }> {
    return this.driver.write(async (tx) => {
      const [existing] = await tx.all<{ pseudonym: string }>('SELECT pseudonym FROM account_roles WHERE account_id = ?', [accountId]);
      const chosen = name ?? existing?.pseudonym ?? `mod-${randomBytes(3).toString('hex')}`;
      const [taken] = await tx.all<{ account_id: string }>('SELECT account_id FROM account_roles WHERE pseudonym = ?', [chosen]);
      if (taken && taken.account_id !== accountId) throw new DomainError(409, 'pseudonym_taken', `the pseudonym ${chosen} is taken`, 'name');
      await tx.run(
        `INSERT INTO account_roles (account_id, role, pseudonym, granted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE SET role = excluded.role, pseudonym = excluded.pseudonym, granted_at = excluded.granted_at`,
        [accountId, role, chosen, now],
      );
      await this.audit(tx, 'server-command', 'grant_role', `moderator:${chosen}`, `granted ${role}`, now, { role });
      return { pseudonym: chosen };
    });
  }

  revokeRole(accountId: string, now: number): Promise<{ pseudonym: string } | null> {
    return this.driver.write(async (tx) => {
      const [existing] = await tx.all<{ pseudonym: string; role: string }>('SELECT pseudonym, role FROM account_roles WHERE account_id = ?', [accountId]);
      if (!existing) return null;
      await tx.run('DELETE FROM account_roles WHERE account_id = ?', [accountId]);
      await this.audit(tx, 'server-command', 'revoke_role', `moderator:${existing.pseudonym}`, `revoked ${existing.role}`, now, { role: existing.role });
      return { pseudonym: existing.pseudonym };
    });
  }

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

  // ------------------------------------------------------------------ actions

  private audit(tx: SqlExecutor, moderator: string, action: AuditAction, target: string, reason: string, now: number, detail: Record<string, unknown> = {}) {
    return writeAudit(tx, { moderator, action, target, reason, detail }, now);
  }

  /**
   * One action: lock the requesters it touches (in key order, so two actions never
   * deadlock), change rows, write the audit entry, recompute those requesters last.
   */
  private act(
    mod: Moderator,
    now: number,
    fn: (tx: SqlExecutor) => Promise<{ action: AuditAction; target: string; reason: string; touched: string[]; detail?: Record<string, unknown> }>,
  ): Promise<ActionOutcome> {
    return this.driver.write(async (tx) => {
      const done = await fn(tx);
      await this.audit(tx, mod.pseudonym, done.action, done.target, done.reason, now, done.detail);
      const recomputed: string[] = [];
      for (const key of [...new Set(done.touched)].sort()) {
        if (await recomputeRequester(tx, key, now, this.rules.get())) recomputed.push(key);
      }
      return { recomputed, ...(done.detail ? { detail: done.detail } : {}) };
    });
  }

  private async lock(tx: SqlExecutor, keys: string[], now: number): Promise<void> {
    for (const key of [...new Set(keys)].sort()) await touchRequester(tx, key, null, now);
  }

  private async reviewRow(tx: SqlExecutor, id: string) {
    const [row] = await tx.all<{ requester_key: string; status: string; deleted_at: number | null }>(
      'SELECT requester_key, status, deleted_at FROM reviews WHERE id = ?',
      [id],
    );
    if (!row || row.deleted_at !== null) throw new DomainError(404, 'not_found', 'no such review', 'id');
    return row;
  }

  /** Hidden: out of every aggregate and view; its author sees the reason. */
  hideReview(mod: Moderator, id: string, reason: string, now: number): Promise<ActionOutcome> {
    return this.act(mod, now, async (tx) => {
      const row = await this.reviewRow(tx, id);
      await this.lock(tx, [row.requester_key], now);
      await tx.run(`UPDATE reviews SET status = 'hidden', status_reason = ? WHERE id = ?`, [reason, id]);
      await tx.run('UPDATE review_flags SET resolved_at = ? WHERE review_id = ? AND resolved_at IS NULL', [now, id]);
      return { action: 'hide_review', target: `review:${id}`, reason, touched: [row.requester_key], detail: { requester: row.requester_key, previous: row.status } };
    });
  }

  /** Visible again (a hidden review restored, or a held one released); its open flags are resolved. */
  restoreReview(mod: Moderator, id: string, reason: string, now: number): Promise<ActionOutcome> {
    return this.act(mod, now, async (tx) => {
      const row = await this.reviewRow(tx, id);
      await this.lock(tx, [row.requester_key], now);
      await tx.run(`UPDATE reviews SET status = 'visible', status_reason = NULL WHERE id = ?`, [id]);
      await tx.run('UPDATE review_flags SET resolved_at = ? WHERE review_id = ? AND resolved_at IS NULL', [now, id]);
      return {
        action: row.status === 'held' ? 'release_held' : 'restore_review',
        target: `review:${id}`,
        reason,
        touched: [row.requester_key],
        detail: { requester: row.requester_key, previous: row.status },
      };
    });
  }

  /** The flags were wrong: the review stays as it is and leaves the queue. */
  dismissReviewFlags(mod: Moderator, id: string, reason: string, now: number): Promise<ActionOutcome> {
    return this.act(mod, now, async (tx) => {
      const row = await this.reviewRow(tx, id);
      const resolved = await tx.run('UPDATE review_flags SET resolved_at = ? WHERE review_id = ? AND resolved_at IS NULL', [now, id]);
      return { action: 'dismiss_review_flags', target: `review:${id}`, reason, touched: [], detail: { requester: row.requester_key, flags: resolved } };
    });
  }

  /** Every held review of one requester counts again (a brigade hold that was not one). */
  releaseHeld(mod: Moderator, requester: string, reason: string, now: number): Promise<ActionOutcome> {
    return this.act(mod, now, async (tx) => {
      await this.existingRequester(tx, requester);
      await this.lock(tx, [requester], now);
      const ids = await tx.all<{ id: string }>(`SELECT id FROM reviews WHERE requester_key = ? AND status = 'held' AND deleted_at IS NULL`, [requester]);
      await tx.run(`UPDATE reviews SET status = 'visible', status_reason = NULL WHERE requester_key = ? AND status = 'held' AND deleted_at IS NULL`, [requester]);
      for (const { id } of ids) await tx.run('UPDATE review_flags SET resolved_at = ? WHERE review_id = ? AND resolved_at IS NULL', [now, id]);
      return { action: 'release_held', target: `requester:${requester}`, reason, touched: [requester], detail: { released: ids.length } };
    });
  }

  private async existingRequester(tx: SqlExecutor, key: string, field = 'key') {
    const [row] = await tx.all<{ merged_into: string | null; suspension_confirmed: number; phishing_confirmed: number }>(
      'SELECT merged_into, suspension_confirmed, phishing_confirmed FROM requesters WHERE key = ?',
      [key],
    );
    if (!row) throw new DomainError(404, 'not_found', `no requester ${key}`, field);
    if (row.merged_into !== null) throw new DomainError(409, 'merged', `${key} was merged into ${row.merged_into}`, field);
    return row;
  }

  /** Confirm: the requester is "danger — linked to suspensions" for everyone. Dismiss: its reports stop counting. */
  decideSuspension(mod: Moderator, key: string, decision: 'confirm' | 'dismiss', reason: string, now: number): Promise<ActionOutcome> {
    return this.act(mod, now, async (tx) => {
      await this.existingRequester(tx, key);
      await this.lock(tx, [key], now);
      let reports: number;
      if (decision === 'confirm') {
        await tx.run('UPDATE requesters SET suspension_confirmed = 1 WHERE key = ?', [key]);
        reports = await tx.run(`UPDATE suspension_reports SET status = 'confirmed' WHERE requester_key = ? AND status = 'open'`, [key]);
      } else {
        await tx.run('UPDATE requesters SET suspension_confirmed = 0 WHERE key = ?', [key]);
        reports = await tx.run(`UPDATE suspension_reports SET status = 'dismissed' WHERE requester_key = ? AND status <> 'dismissed'`, [key]);
      }
      return {
        action: decision === 'confirm' ? 'confirm_suspension' : 'dismiss_suspension',
        target: `requester:${key}`,
        reason,
        touched: [key],
        detail: { reports },
      };
    });
  }

  /**
   * Confirm: the incident's task group reaches every browser as "confirmed" (the requester
   * itself is confirmed only by `decideSuspension`). Dismiss: it leaves the feed. Audited,
   * recomputed and a webhook delivery queued, all in the action's transaction.
   */
  async decideIncident(mod: Moderator, id: string, decision: 'confirm' | 'dismiss', reason: string, now: number): Promise<ActionOutcome> {
    const outcome = await this.act(mod, now, async (tx) => {
      const row = await incidentById(tx, id);
      if (!row) throw new DomainError(404, 'not_found', 'no such incident', 'id');
      await this.lock(tx, [row.requester_key], now);
      const after = await decideIncident(tx, this.rules.get(), id, decision === 'confirm' ? 'confirmed' : 'dismissed', now);
      return {
        action: decision === 'confirm' ? 'confirm_incident' : 'dismiss_incident',
        target: `incident:${id}`,
        reason,
        touched: [row.requester_key],
        detail: { requester: row.requester_key, taskId: row.task_key || null, previous: row.status, status: after.status },
      };
    });
    this.webhooks.queued();
    return outcome;
  }

  /** Confirm: "danger — phishing / personal data". Dismiss: the open flags stop counting. */
  decideIssues(mod: Moderator, key: string, decision: 'confirm' | 'dismiss', reason: string, now: number): Promise<ActionOutcome> {
    return this.act(mod, now, async (tx) => {
      await this.existingRequester(tx, key);
      await this.lock(tx, [key], now);
      let flags: number;
      if (decision === 'confirm') {
        await tx.run('UPDATE requesters SET phishing_confirmed = 1 WHERE key = ?', [key]);
        flags = await tx.run(`UPDATE requester_flags SET status = 'confirmed' WHERE requester_key = ? AND status = 'open'`, [key]);
      } else {
        await tx.run('UPDATE requesters SET phishing_confirmed = 0 WHERE key = ?', [key]);
        flags = await tx.run(`UPDATE requester_flags SET status = 'dismissed' WHERE requester_key = ? AND status <> 'dismissed'`, [key]);
      }
      return { action: decision === 'confirm' ? 'confirm_issue' : 'dismiss_issue', target: `requester:${key}`, reason, touched: [key], detail: { flags } };
    });
  }

  private async accountOf(tx: SqlExecutor, target: AccountTarget): Promise<string> {
    const table = { review: 'reviews', suspension_report: 'suspension_reports', requester_flag: 'requester_flags', review_flag: 'review_flags' }[target.kind];
    const [row] = await tx.all<{ account_id: string }>(`SELECT account_id FROM ${table} WHERE id = ?`, [target.id]);
    if (!row) throw new DomainError(404, 'not_found', `no such ${target.kind.replace('_', ' ')}`, 'target.id');
    return row.account_id;
  }

  private async requestersOfAccount(tx: SqlExecutor, accountId: string): Promise<string[]> {
    const rows = await tx.all<{ key: string }>(
      `SELECT requester_key AS key FROM reviews WHERE account_id = ?
       UNION SELECT requester_key AS key FROM suspension_reports WHERE account_id = ?
       UNION SELECT requester_key AS key FROM requester_flags WHERE account_id = ?`,
      [accountId, accountId, accountId],
    );
    return rows.map((r) => r.key);
  }

  /** Muted: no writes until then, and its reports, flags and tags count nowhere meanwhile. */
  muteAccount(mod: Moderator, target: AccountTarget, days: number, reason: string, now: number): Promise<ActionOutcome> {
    return this.act(mod, now, async (tx) => {
      const accountId = await this.accountOf(tx, target);
      const touched = await this.requestersOfAccount(tx, accountId);
      await this.lock(tx, touched, now);
      const until = now + days * DAY_MS;
      await tx.run('UPDATE accounts SET muted_until = ? WHERE id = ?', [until, accountId]);
      return {
        action: 'mute_account',
        target: `${target.kind}:${target.id}`,
        reason,
        touched,
        detail: { account: accountRef(this.pepper, accountId), until: iso(until), days },
      };
    });
  }

  /** Banned (admins only): no more writes; every review hidden with the reason; reports and flags count nowhere. */
  banAccount(mod: Moderator, target: AccountTarget, reason: string, now: number): Promise<ActionOutcome> {
    return this.act(mod, now, async (tx) => {
      const accountId = await this.accountOf(tx, target);
      const touched = await this.requestersOfAccount(tx, accountId);
      await this.lock(tx, touched, now);
      await tx.run('UPDATE accounts SET banned_at = ? WHERE id = ? AND banned_at IS NULL', [now, accountId]);
      const hidden = await tx.run(`UPDATE reviews SET status = 'hidden', status_reason = ? WHERE account_id = ? AND status <> 'hidden'`, [
        `account banned: ${reason}`,
        accountId,
      ]);
      return {
        action: 'ban_account',
        target: `${target.kind}:${target.id}`,
        reason,
        touched,
        detail: { account: accountRef(this.pepper, accountId), hiddenReviews: hidden },
      };
    });
  }

  /**
   * Two keys are one requester: reviews, reports and flags move to `into` (a duplicate —
   * the same account's review of the same task, report or flag — stays behind and counts
   * nowhere), confirmations carry over, and `from` leaves the sync feed (`removed`).
   */
  mergeRequesters(mod: Moderator, from: string, into: string, reason: string, now: number): Promise<ActionOutcome> {
    return this.act(mod, now, async (tx) => {
      const source = await this.existingRequester(tx, from, 'from');
      const target = await this.existingRequester(tx, into, 'into');
      await this.lock(tx, [from, into], now);
      let reviews = 0;
      let duplicates = 0;
      const rows = await tx.all<{ id: string; account_id: string; task_id: string; body_json: string; deleted_at: number | null }>(
        'SELECT id, account_id, task_id, body_json, deleted_at FROM reviews WHERE requester_key = ?',
        [from],
      );
      for (const row of rows) {
        const [clash] = await tx.all<{ id: string }>('SELECT id FROM reviews WHERE requester_key = ? AND account_id = ? AND task_id = ?', [
          into,
          row.account_id,
          row.task_id,
        ]);
        if (clash) {
          duplicates += 1;
          if (row.deleted_at === null) await tx.run('UPDATE reviews SET deleted_at = ? WHERE id = ?', [now, row.id]);
          continue;
        }
        const body = { ...(JSON.parse(row.body_json) as Review), requester: into };
        await tx.run('UPDATE reviews SET requester_key = ?, author_pseudonym = ?, body_json = ? WHERE id = ?', [
          into,
          pseudonym(this.pepper, row.account_id, into),
          JSON.stringify(body),
          row.id,
        ]);
        reviews += 1;
      }
      const reports = await tx.run(
        `UPDATE suspension_reports SET requester_key = ? WHERE requester_key = ?
         AND account_id NOT IN (SELECT account_id FROM suspension_reports WHERE requester_key = ?)`,
        [into, from, into],
      );
      // The picked tasks of the moved reports follow them: correlation counts by the task's requester.
      await tx.run('UPDATE suspension_report_tasks SET requester_key = ? WHERE report_row_id IN (SELECT id FROM suspension_reports WHERE requester_key = ?)', [into, into]);
      const flags = await tx.run(
        `UPDATE requester_flags SET requester_key = ? WHERE requester_key = ?
         AND NOT EXISTS (SELECT 1 FROM requester_flags t WHERE t.requester_key = ? AND t.account_id = requester_flags.account_id AND t.reason = requester_flags.reason)`,
        [into, from, into],
      );
      await tx.run('UPDATE requesters SET suspension_confirmed = ?, phishing_confirmed = ? WHERE key = ?', [
        Math.max(source.suspension_confirmed, target.suspension_confirmed),
        Math.max(source.phishing_confirmed, target.phishing_confirmed),
        into,
      ]);
      await removeRequesterRow(tx, from, into);
      return {
        action: 'merge_requesters',
        target: `requester:${from}`,
        reason,
        touched: [into],
        detail: { into, reviews, reports, flags, duplicates },
      };
    });
  }

  /**
   * A new rules version (the next number); old versions stay readable. Summaries are then
   * recomputed in batches by `recomputeForRules` (a cursor in server_meta survives restarts).
   */
  async publishRules(mod: Moderator, rules: Omit<Rules, 'version'>, reason: string, now: number): Promise<{ version: number }> {
    const published = await this.driver.write(async (tx) => {
      const [row] = await tx.all<{ v: number | null }>('SELECT MAX(version) AS v FROM rules_versions');
      const version = Number(row?.v ?? 0) + 1;
      const next: Rules = { ...rules, version };
      await tx.run('INSERT INTO rules_versions (version, rules_json, published_at) VALUES (?, ?, ?)', [version, JSON.stringify(next), now]);
      await tx.run(
        `INSERT INTO server_meta (name, value) VALUES ('rules_recompute_after', '') ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      );
      await this.audit(tx, mod.pseudonym, 'publish_rules', `rules:${version}`, reason, now, { version });
      return next;
    });
    this.rules.set(published);
    return { version: published.version };
  }

  /** One batch of the recompute after a rules change; `more` while requesters remain. */
  async recomputeForRules(now: number, batch = 200): Promise<{ recomputed: number; more: boolean }> {
    const [cursor] = await this.driver.query<{ value: string }>(`SELECT value FROM server_meta WHERE name = 'rules_recompute_after'`);
    if (!cursor) return { recomputed: 0, more: false };
    const keys = await this.driver.query<{ key: string }>(
      'SELECT key FROM requesters WHERE key > ? AND seq > 0 AND merged_into IS NULL ORDER BY key LIMIT ?',
      [cursor.value, batch],
    );
    const recomputed = await this.driver.write(async (tx) => {
      let changed = 0;
      for (const { key } of keys) {
        await touchRequester(tx, key, null, now);
        if (await recomputeRequester(tx, key, now, this.rules.get())) changed += 1;
      }
      if (keys.length < batch) await tx.run(`DELETE FROM server_meta WHERE name = 'rules_recompute_after'`);
      else await tx.run(`UPDATE server_meta SET value = ? WHERE name = 'rules_recompute_after'`, [keys.at(-1)!.key]);
      return changed;
    });
    return { recomputed, more: keys.length === batch };
  }
}
