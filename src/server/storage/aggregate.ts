/**
 * Keeping requester summaries current inside each write's transaction: recompute the
 * ONE requester a write touched from its rows (never all requesters), and when its
 * canonical row changed, give it the next sequence number and move the checksum.
 */
import { createHash } from 'node:crypto';
import { summarize, type IssueFlagFacts, type ReportFacts, type ReviewFacts } from '../../core/rating.js';
import type { Rules } from '../../core/rules.js';
import { weekStart, type IssueTag, type Review } from '../../core/schemas.js';
import type { SuspectTask } from '../../core/summary.js';
import { fnv1a32 } from '../../core/hash.js';
import { canonicalRow, encodeSummary } from '../../core/sync-protocol.js';
import type { RequesterKey } from '../../core/requester-key.js';
import type { SqlExecutor } from './driver.js';

const DAY_MS = 86_400_000;
const TWO_32 = 4294967296;

/** The first 8 hex chars of SHA-256(key); clients ask by a shorter prefix of it. */
export function bucketOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Make sure the requester exists and record its last seen name. On Postgres the upsert
 * also locks the row, so two writes for one requester recompute one after the other.
 */
export async function touchRequester(tx: SqlExecutor, key: string, name: string | null, now: number): Promise<void> {
  if (name === null) {
    await tx.run('UPDATE requesters SET updated_at = updated_at WHERE key = ?', [key]);
    return;
  }
  await tx.run(
    `INSERT INTO requesters (key, name, bucket, seq, row_json, row_digest, updated_at) VALUES (?, ?, ?, 0, '', 0, ?)
     ON CONFLICT (key) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
    [key, name, bucketOf(key), now],
  );
}

/** Old enough when it wrote, not muted now, and not banned (the bench's data generator uses it too). */
export function establishedWhenWritten(accountCreated: number, mutedUntil: number | null, bannedAt: number | null, wroteAt: number, now: number, rules: Rules) {
  return (
    bannedAt === null &&
    wroteAt - accountCreated >= rules.danger.establishedAfterDays * DAY_MS &&
    (mutedUntil === null || mutedUntil <= now)
  );
}

interface ReviewRow {
  account_id: string;
  body_json: string;
  created_at: number;
  status: string;
  account_created: number;
  muted_until: number | null;
  banned_at: number | null;
}
interface ReportRow {
  account_id: string;
  at: number;
  account_created: number;
  muted_until: number | null;
  banned_at: number | null;
  reason?: string;
}

/** Row texts queued for COMMIT (Postgres) in a transaction, by requester key. */
const pendingRows = new WeakMap<SqlExecutor, Map<string, { rowJson: string; digest: number }>>();

/**
 * The requester's task groups browsers should match (issue 11): incidents not dismissed
 * that reached a replicated state ("investigating" automatically, "confirmed" by a moderator).
 */
async function suspectTasksOf(tx: SqlExecutor, requester: string): Promise<SuspectTask[]> {
  const rows = await tx.all<{ task_key: string; status: string; accounts: number; first_report_at: number }>(
    `SELECT task_key, status, accounts, first_report_at FROM incidents
     WHERE requester_key = ? AND task_key <> '' AND status <> 'dismissed' AND replicated IS NOT NULL ORDER BY task_key LIMIT 50`,
    [requester],
  );
  return rows.map((r) => ({
    taskId: r.task_key,
    state: r.status === 'confirmed' ? 'confirmed' : 'investigating',
    accounts: Number(r.accounts),
    since: weekStart(new Date(Number(r.first_report_at)).toISOString().slice(0, 10)),
  }));
}

/** Recompute one requester's summary; returns whether its row changed (and got a new seq). */
export async function recomputeRequester(tx: SqlExecutor, key: string, now: number, rules: Rules): Promise<boolean> {
  const [requester] = await tx.all<{
    name: string;
    row_json: string;
    row_digest: number;
    suspension_confirmed: number;
    phishing_confirmed: number;
    merged_into: string | null;
  }>('SELECT name, row_json, row_digest, suspension_confirmed, phishing_confirmed, merged_into FROM requesters WHERE key = ?', [key]);
  if (!requester) throw new Error('recompute of a missing requester');
  // A key merged into another is gone from the feed; what stayed behind (duplicates) counts nowhere.
  if (requester.merged_into !== null) return false;
  const reviewRows = await tx.all<ReviewRow>(
    `SELECT r.account_id, r.body_json, r.created_at, r.status, a.created_at AS account_created, a.muted_until, a.banned_at
     FROM reviews r JOIN accounts a ON a.id = r.account_id
     WHERE r.requester_key = ? AND r.deleted_at IS NULL AND r.status <> 'hidden'`,
    [key],
  );
  const reports = await tx.all<ReportRow>(
    `SELECT s.account_id, s.reported_at AS at, a.created_at AS account_created, a.muted_until, a.banned_at
     FROM suspension_reports s JOIN accounts a ON a.id = s.account_id
     WHERE s.requester_key = ? AND s.status <> 'dismissed' AND s.withdrawn_at IS NULL`,
    [key],
  );
  const flags = await tx.all<ReportRow>(
    `SELECT f.account_id, f.created_at AS at, f.reason, a.created_at AS account_created, a.muted_until, a.banned_at
     FROM requester_flags f JOIN accounts a ON a.id = f.account_id WHERE f.requester_key = ? AND f.status <> 'dismissed'`,
    [key],
  );

  const reviews: ReviewFacts[] = [];
  let held = 0;
  for (const row of reviewRows) {
    if (row.status === 'held') {
      held += 1;
      continue;
    }
    const body = JSON.parse(row.body_json) as Review;
    reviews.push({
      ...body,
      account: row.account_id,
      established: establishedWhenWritten(row.account_created, row.muted_until, row.banned_at, row.created_at, now, rules),
      createdAt: row.created_at,
    });
  }
  const asReport = (r: ReportRow): ReportFacts => ({
    account: r.account_id,
    established: establishedWhenWritten(r.account_created, r.muted_until, r.banned_at, r.at, now, rules),
    reportedAt: r.at,
  });
  const summary = summarize(
    {
      key: key as RequesterKey,
      name: requester.name,
      reviews,
      heldReviews: held,
      suspensions: reports.map(asReport),
      issueFlags: flags.map((f): IssueFlagFacts => ({ ...asReport(f), reason: f.reason as IssueTag })),
      confirmed: { suspension: requester.suspension_confirmed === 1, phishing: requester.phishing_confirmed === 1 },
      suspectTasks: await suspectTasksOf(tx, key),
    },
    now,
    rules,
  );
  const rowJson = canonicalRow(encodeSummary(summary));
  // On Postgres the row is written at COMMIT: a second recompute in this transaction
  // starts from the text the first one queued, so the checksum moves once per change.
  const pending = pendingRows.get(tx);
  const current = pending?.get(key) ?? { rowJson: requester.row_json, digest: requester.row_digest };
  if (rowJson === current.rowJson) return false;
  const digest = fnv1a32(rowJson);
  const isNew = current.rowJson === '';
  const before = isNew ? 0 : current.digest;
  // The last statement of the transaction on purpose: on Postgres this row lock orders
  // commits by sequence number (so a client never skips a change that commits late),
  // and holding it for one statement and the COMMIT keeps writers from queueing on it.
  const bump = BUMP;
  const bumpParams = [before, digest, isNew ? 1 : 0];
  if (tx.dialect === 'postgres') {
    if (pending) pending.set(key, { rowJson, digest });
    else pendingRows.set(tx, new Map([[key, { rowJson, digest }]]));
    tx.runAtCommit(`WITH bumped AS (${bump}) UPDATE requesters SET row_json = ?, row_digest = ?, seq = (SELECT seq FROM bumped) WHERE key = ?`, [
      ...bumpParams,
      rowJson,
      digest,
      key,
    ]);
  } else {
    const [state] = await tx.all<{ seq: number }>(bump, bumpParams);
    if (!state) throw new Error('sync_state is missing');
    await tx.run('UPDATE requesters SET row_json = ?, row_digest = ?, seq = ? WHERE key = ?', [rowJson, digest, state.seq, key]);
  }
  return true;
}

/** Takes the next sequence number and moves the checksum: params [old digest, new digest, row count change]. */
const BUMP = `UPDATE sync_state SET seq = seq + 1,
       checksum_sum = ((checksum_sum - ? + ?) % ${TWO_32} + ${TWO_32}) % ${TWO_32},
       row_count = row_count + ?
     WHERE id = 1 RETURNING seq`;

/**
 * A requester key merged into another leaves the sync feed: its row gets the next sequence
 * number with an empty text (the changes feed lists it under `removed`) and leaves the checksum.
 */
export async function removeRequesterRow(tx: SqlExecutor, key: string, into: string): Promise<void> {
  const [requester] = await tx.all<{ row_json: string; row_digest: number }>('SELECT row_json, row_digest FROM requesters WHERE key = ?', [key]);
  if (!requester) throw new Error('removal of a missing requester');
  await tx.run('UPDATE requesters SET merged_into = ? WHERE key = ?', [into, key]);
  const replicated = requester.row_json !== '';
  const params = [replicated ? requester.row_digest : 0, 0, replicated ? -1 : 0];
  if (tx.dialect === 'postgres') {
    tx.runAtCommit(`WITH bumped AS (${BUMP}) UPDATE requesters SET row_json = '', row_digest = 0, seq = (SELECT seq FROM bumped) WHERE key = ?`, [
      ...params,
      key,
    ]);
  } else {
    const [state] = await tx.all<{ seq: number }>(BUMP, params);
    if (!state) throw new Error('sync_state is missing');
    await tx.run(`UPDATE requesters SET row_json = '', row_digest = 0, seq = ? WHERE key = ?`, [state.seq, key]);
  }
}

/**
 * Requesters with a review crossing the recent window or a suspension report crossing
 * the danger window between `from` and `to` (both exclusive of older runs).
 */
export async function requestersCrossingWindows(tx: SqlExecutor, from: number, to: number, rules: Rules): Promise<string[]> {
  const recent = rules.recentDays * DAY_MS;
  const danger = rules.danger.suspensionWindowDays * DAY_MS;
  const rows = await tx.all<{ key: string }>(
    `SELECT DISTINCT requester_key AS key FROM reviews WHERE created_at >= ? AND created_at < ?
     UNION SELECT DISTINCT requester_key AS key FROM suspension_reports WHERE reported_at >= ? AND reported_at < ?
     UNION SELECT DISTINCT s.requester_key AS key FROM suspension_reports s JOIN accounts a ON a.id = s.account_id WHERE a.muted_until >= ? AND a.muted_until < ?
     UNION SELECT DISTINCT f.requester_key AS key FROM requester_flags f JOIN accounts a ON a.id = f.account_id WHERE a.muted_until >= ? AND a.muted_until < ?
     UNION SELECT DISTINCT r.requester_key AS key FROM reviews r JOIN accounts a ON a.id = r.account_id WHERE a.muted_until >= ? AND a.muted_until < ?`,
    // A mute that ended in the interval: that account's reports, flags and review tags count again.
    [from - recent, to - recent, from - danger, to - danger, from, to, from, to, from, to],
  );
  return rows.map((r) => r.key);
}
