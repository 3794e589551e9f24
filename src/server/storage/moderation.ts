/**
 * Moderation storage: the queues (moderation-queues.ts), the actions, the audit log and
 * the roles. Written once over the portable SQL of the SqlDriver, like the rest of the
 * storage. Every action is one transaction: change rows, write the audit entry, recompute
 * the touched requesters (which moves the sync feed) — all or nothing.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { AccountTarget, AuditAction, ModerationRole } from '../../core/moderation-protocol.js';
import type { Rules } from '../../core/rules.js';
import type { Review } from '../../core/schemas.js';
import type { SqlDriver, SqlExecutor } from './driver.js';
import { recomputeRequester, removeRequesterRow, touchRequester } from './aggregate.js';
import { DomainError } from './errors.js';
import { rulesInForce } from './rules-in-force.js';
import { recomputeCursor, recomputeRulesBatch } from './rules-recompute.js';
import { pseudonym } from './views.js';
import { decideIncident, incidentById, writeAudit } from './incidents.js';
import { ModerationQueues, DAY_MS, iso, placeholders, type ActionOutcome, type Moderator, type RulesHolder } from './moderation-queues.js';
import { WebhookOutbox } from './moderation-webhooks.js';

/** A short reference to an account for the audit log: equal for equal accounts, never the id. */
function accountRef(pepper: string, accountId: string): string {
  return `acct-${createHmac('sha256', pepper).update(`audit\n${accountId}`).digest('base64url').slice(0, 10)}`;
}

/** The queues, and every action and role change that moderators (or the role command) make. */
export class ModerationStore extends ModerationQueues {
  /** The webhook outbox, for the sender (src/server/webhook.ts). */
  readonly webhooks: WebhookOutbox;

  constructor(
    driver: SqlDriver,
    private readonly pepper: string,
    rules: RulesHolder,
  ) {
    super(driver, rules);
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
      const rules = await rulesInForce(tx, this.rules);
      for (const key of [...new Set(done.touched)].sort()) {
        if (await recomputeRequester(tx, key, now, rules)) recomputed.push(key);
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
   * recomputed in batches by `recomputeForRules`: the cursor in server_meta (which survives
   * restarts) names the version and the last key done, and starts this version from the top.
   */
  async publishRules(mod: Moderator, rules: Omit<Rules, 'version'>, reason: string, now: number): Promise<{ version: number }> {
    const published = await this.driver.write(async (tx) => {
      const [row] = await tx.all<{ v: number | null }>('SELECT MAX(version) AS v FROM rules_versions');
      const version = Number(row?.v ?? 0) + 1;
      const next: Rules = { ...rules, version };
      await tx.run('INSERT INTO rules_versions (version, rules_json, published_at) VALUES (?, ?, ?)', [version, JSON.stringify(next), now]);
      // Waits for a recompute batch in progress (it holds this row), then restarts the walk under the new version.
      await tx.run(
        `INSERT INTO server_meta (name, value) VALUES ('rules_recompute_after', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        [recomputeCursor(version, '')],
      );
      await this.audit(tx, mod.pseudonym, 'publish_rules', `rules:${version}`, reason, now, { version });
      return next;
    });
    this.rules.set(published);
    return { version: published.version };
  }

  /** One batch of the recompute after a rules change; `more` while requesters remain (rules-recompute.ts). */
  recomputeForRules(now: number, batch = 200): Promise<{ recomputed: number; more: boolean }> {
    return recomputeRulesBatch(this.driver, this.rules, now, batch);
  }
}
