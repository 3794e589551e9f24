/**
 * Every write: claim the idempotency key, change rows, recompute the one requester
 * touched, store the response — all in one transaction, so a retry never makes a
 * second row and a failure leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { Rules } from '../../core/rules.js';
import { SuspensionReportInput, normalizeSuspensionReport, type Review } from '../../core/schemas.js';
import type { SqlDriver, SqlExecutor } from './driver.js';
import { recomputeRequester, touchRequester } from './aggregate.js';
import { fileReport, withdrawReport } from './reports.js';
import { DomainError } from './errors.js';
import { rulesInForce } from './rules-in-force.js';
import type { RulesHolder } from './moderation-queues.js';
import type { ParsedRequesterFlag, ParsedReviewFlag, ParsedSuspensionReport, StoredResponse, WriteContext } from './storage.js';
import { REVIEW_COLUMNS, ownReview, pseudonym, type ReviewRecord } from './views.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const newId = () => randomBytes(12).toString('base64url');

/**
 * The key a requester is kept under: a key a moderator merged into another one is
 * written to the surviving key (extensions that have not synced yet still send the old one).
 */
async function canonicalKey<K extends string>(tx: SqlExecutor, key: K): Promise<K> {
  let current: string = key;
  for (let hops = 0; hops < 8; hops += 1) {
    const [row] = await tx.all<{ merged_into: string | null }>('SELECT merged_into FROM requesters WHERE key = ?', [current]);
    if (!row?.merged_into) break;
    current = row.merged_into;
  }
  return current as K;
}

/** A write's response, and the requesters whose summaries it changed (recomputed last). */
type Outcome = { status: number; body: unknown; recompute: string[] };

export class Writes {
  constructor(
    private readonly driver: SqlDriver,
    private readonly pepper: string,
    private readonly rules: RulesHolder,
  ) {}

  private idempotent(ctx: WriteContext, fn: (tx: SqlExecutor) => Promise<Outcome>): Promise<StoredResponse> {
    return this.driver.write(async (tx) => {
      const claimed = await tx.all(
        `INSERT INTO idempotency (account_id, key, request_hash, status, body_json, created_at) VALUES (?, ?, ?, 0, '', ?)
         ON CONFLICT (account_id, key) DO NOTHING RETURNING key`,
        [ctx.account.id, ctx.idempotencyKey, ctx.requestHash, ctx.now],
      );
      if (claimed.length === 0) {
        const [prior] = await tx.all<{ request_hash: string; status: number; body_json: string }>(
          'SELECT request_hash, status, body_json FROM idempotency WHERE account_id = ? AND key = ?',
          [ctx.account.id, ctx.idempotencyKey],
        );
        if (!prior || prior.request_hash !== ctx.requestHash) {
          throw new DomainError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request', 'Idempotency-Key');
        }
        return { status: prior.status, body: JSON.parse(prior.body_json) as unknown, replayed: true };
      }
      const { status, body, recompute } = await fn(tx);
      await tx.run('UPDATE idempotency SET status = ?, body_json = ? WHERE account_id = ? AND key = ?', [
        status,
        JSON.stringify(body),
        ctx.account.id,
        ctx.idempotencyKey,
      ]);
      // Summaries last: recomputing ends with the sync-state bump, right before COMMIT.
      if (recompute.length > 0) {
        const rules = await rulesInForce(tx, this.rules);
        for (const key of recompute) await recomputeRequester(tx, key, ctx.now, rules);
      }
      return { status, body, replayed: false };
    });
  }

  private async ownRow(tx: SqlExecutor, ctx: WriteContext, id: string): Promise<ReviewRecord & { deleted_at: number | null }> {
    const [row] = await tx.all<ReviewRecord & { deleted_at: number | null; account_id: string }>(
      `SELECT ${REVIEW_COLUMNS}, deleted_at, account_id FROM reviews WHERE id = ?`,
      [id],
    );
    // Someone else's review looks exactly like a missing one: ids reveal nothing.
    if (!row || row.account_id !== ctx.account.id || row.deleted_at !== null) throw new DomainError(404, 'not_found', 'no such review of yours', 'id');
    return row;
  }

  private async reviewResponse(tx: SqlExecutor, id: string, status: number, requester: string): Promise<Outcome> {
    const [row] = await tx.all<ReviewRecord>(`SELECT ${REVIEW_COLUMNS} FROM reviews WHERE id = ?`, [id]);
    if (!row) throw new Error('review vanished inside its transaction');
    return { status, body: { review: ownReview(row) }, recompute: [requester] };
  }

  createReview(ctx: WriteContext, input: Review): Promise<StoredResponse> {
    return this.idempotent(ctx, async (tx) => {
      const rules = this.rules.get();
      const review = { ...input, requester: await canonicalKey(tx, input.requester) };
      await touchRequester(tx, review.requester, review.requesterName, ctx.now);
      const [existing] = await tx.all<{ id: string; deleted_at: number | null }>(
        'SELECT id, deleted_at FROM reviews WHERE account_id = ? AND requester_key = ? AND task_id = ?',
        [ctx.account.id, review.requester, review.taskId],
      );
      const body = JSON.stringify(review);
      let id: string;
      if (existing && existing.deleted_at === null) {
        throw new DomainError(409, 'review_exists', `you already reviewed this task (review ${existing.id}); edit it instead`, 'taskId');
      } else if (existing) {
        // A withdrawn review comes back with its moderation status: deleting cannot launder a hidden review.
        id = existing.id;
        await tx.run('UPDATE reviews SET body_json = ?, edited_at = ?, deleted_at = NULL WHERE id = ?', [body, ctx.now, id]);
      } else {
        id = newId();
        const young = ctx.now - ctx.account.createdAt < rules.moderation.brigade.youngAccountDays * DAY_MS;
        const brigade = young && (await this.isBrigade(tx, ctx, review.requester, rules));
        await tx.run(
          `INSERT INTO reviews (id, account_id, requester_key, task_id, author_pseudonym, body_json, created_at, author_young, status, status_reason)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, ctx.account.id, review.requester, review.taskId, pseudonym(this.pepper, ctx.account.id, review.requester), body, ctx.now,
            young ? 1 : 0, brigade ? 'held' : 'visible', brigade ? 'brigade' : null],
        );
      }
      return this.reviewResponse(tx, id, existing ? 200 : 201, review.requester);
    });
  }

  /**
   * Brigading: with this review, young accounts reached the threshold for this requester
   * within the window. Then this review and the other young ones in the window are held.
   */
  private async isBrigade(tx: SqlExecutor, ctx: WriteContext, requester: string, rules: Rules): Promise<boolean> {
    const { windowHours, accounts } = rules.moderation.brigade;
    const recentYoung = await tx.all<{ id: string; account_id: string; status: string }>(
      `SELECT id, account_id, status FROM reviews
       WHERE requester_key = ? AND author_young = 1 AND created_at >= ? AND deleted_at IS NULL AND account_id <> ?`,
      [requester, ctx.now - windowHours * HOUR_MS, ctx.account.id],
    );
    const distinct = new Set(recentYoung.map((r) => r.account_id)).add(ctx.account.id);
    if (distinct.size < accounts) return false;
    for (const r of recentYoung) {
      if (r.status === 'visible') await tx.run(`UPDATE reviews SET status = 'held', status_reason = 'brigade' WHERE id = ?`, [r.id]);
    }
    return true;
  }

  updateReview(ctx: WriteContext, id: string, input: Review): Promise<StoredResponse> {
    return this.idempotent(ctx, async (tx) => {
      const row = await this.ownRow(tx, ctx, id);
      const review = { ...input, requester: await canonicalKey(tx, input.requester) };
      const before = JSON.parse(row.body_json) as Review;
      if (before.requester !== review.requester) throw new DomainError(400, 'invalid_request', 'a review cannot move to another requester', 'requester');
      if (before.taskId !== review.taskId) throw new DomainError(400, 'invalid_request', 'a review cannot move to another task', 'taskId');
      await touchRequester(tx, review.requester, review.requesterName, ctx.now);
      await tx.run('UPDATE reviews SET body_json = ?, edited_at = ? WHERE id = ?', [JSON.stringify(review), ctx.now, id]);
      return this.reviewResponse(tx, id, 200, review.requester);
    });
  }

  /** The author withdraws a review: it leaves every aggregate and view, but moderators keep the record. */
  deleteReview(ctx: WriteContext, id: string): Promise<StoredResponse> {
    return this.idempotent(ctx, async (tx) => {
      const row = await this.ownRow(tx, ctx, id);
      await touchRequester(tx, row.requester_key, null, ctx.now);
      await tx.run('UPDATE reviews SET deleted_at = ? WHERE id = ?', [ctx.now, id]);
      return { status: 200, body: { deleted: id }, recompute: [row.requester_key] };
    });
  }

  /**
   * A suspension report (issue 11): one submission may involve several requesters, each
   * picked task under its own; the legacy one-requester shape is normalised the same way.
   * Incidents are detected in this transaction (see incidents.ts).
   */
  reportSuspension(ctx: WriteContext, input: ParsedSuspensionReport): Promise<StoredResponse> {
    const report = normalizeSuspensionReport(SuspensionReportInput.parse(input));
    return this.idempotent(ctx, (tx) => fileReport(tx, ctx, this.rules.get(), report, null, canonicalKey));
  }

  /** Replaces one of the account's reports (tasks, requesters, week, reinstated, note). */
  updateSuspensionReport(ctx: WriteContext, id: string, input: ParsedSuspensionReport): Promise<StoredResponse> {
    const report = normalizeSuspensionReport(SuspensionReportInput.parse(input));
    return this.idempotent(ctx, (tx) => fileReport(tx, ctx, this.rules.get(), report, id, canonicalKey));
  }

  /** Withdraws one of the account's reports: it leaves every count. */
  withdrawSuspensionReport(ctx: WriteContext, id: string): Promise<StoredResponse> {
    return this.idempotent(ctx, (tx) => withdrawReport(tx, ctx, this.rules.get(), id));
  }

  flagRequester(ctx: WriteContext, input: ParsedRequesterFlag): Promise<StoredResponse> {
    return this.idempotent(ctx, async (tx) => {
      const flag = { ...input, requester: await canonicalKey(tx, input.requester) };
      await touchRequester(tx, flag.requester, flag.requesterName, ctx.now);
      const id = newId();
      const inserted = await tx.run(
        `INSERT INTO requester_flags (id, account_id, requester_key, reason, task_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, requester_key, reason) DO NOTHING`,
        [id, ctx.account.id, flag.requester, flag.reason, flag.taskId ?? null, flag.note, ctx.now],
      );
      if (inserted === 0) {
        const [prior] = await tx.all<{ id: string }>('SELECT id FROM requester_flags WHERE account_id = ? AND requester_key = ? AND reason = ?', [
          ctx.account.id,
          flag.requester,
          flag.reason,
        ]);
        return { status: 200, body: { id: prior?.id ?? id, created: false }, recompute: [] };
      }
      return { status: 201, body: { id, created: true }, recompute: [flag.requester] };
    });
  }

  /** Three distinct flaggers hold a visible review until a moderator looks at it. */
  flagReview(ctx: WriteContext, flag: ParsedReviewFlag): Promise<StoredResponse> {
    return this.idempotent(ctx, async (tx) => {
      const [review] = await tx.all<{ requester_key: string; account_id: string; status: string; deleted_at: number | null }>(
        'SELECT requester_key, account_id, status, deleted_at FROM reviews WHERE id = ?',
        [flag.reviewId],
      );
      if (!review || review.deleted_at !== null) throw new DomainError(404, 'not_found', 'no such review', 'reviewId');
      if (review.account_id === ctx.account.id) throw new DomainError(400, 'invalid_request', 'you cannot flag your own review', 'reviewId');
      await touchRequester(tx, review.requester_key, null, ctx.now);
      const id = newId();
      const inserted = await tx.run(
        `INSERT INTO review_flags (id, review_id, account_id, reason, note, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (review_id, account_id) DO NOTHING`,
        [id, flag.reviewId, ctx.account.id, flag.reason, flag.note, ctx.now],
      );
      if (inserted === 0) {
        const [prior] = await tx.all<{ id: string }>('SELECT id FROM review_flags WHERE review_id = ? AND account_id = ?', [flag.reviewId, ctx.account.id]);
        return { status: 200, body: { id: prior?.id ?? id, created: false }, recompute: [] };
      }
      const [count] = await tx.all<{ n: number }>('SELECT COUNT(DISTINCT account_id) AS n FROM review_flags WHERE review_id = ? AND resolved_at IS NULL', [flag.reviewId]);
      const hold = review.status === 'visible' && Number(count?.n ?? 0) >= this.rules.get().moderation.flagsToHold;
      if (hold) await tx.run(`UPDATE reviews SET status = 'held', status_reason = 'flags' WHERE id = ?`, [flag.reviewId]);
      return { status: 201, body: { id, created: true }, recompute: hold ? [review.requester_key] : [] };
    });
  }
}
