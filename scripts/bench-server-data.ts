/**
 * Fills a fresh database with a realistic community for the benchmark: requesters with
 * heavy-tailed review counts, established accounts, summaries computed with the same
 * `summarize` the server uses, and the sync state (sequence, checksum) to match.
 * Bulk multi-row inserts, one requester at a time, so memory stays flat at 1M reviews.
 */
import { createHash, randomBytes } from 'node:crypto';
import { summarize, type ReviewFacts } from '../src/core/rating.js';
import { DEFAULT_RULES } from '../src/core/rules.js';
import { fnv1a32 } from '../src/core/hash.js';
import { canonicalRow, encodeSummary, updateChecksum, EMPTY_CHECKSUM } from '../src/core/sync-protocol.js';
import { bucketOf } from '../src/server/storage/aggregate.js';
import type { SqlDriver, SqlExecutor, SqlValue } from '../src/server/storage/driver.js';
import { pseudonym } from '../src/server/storage/views.js';
import { fakeRequesterKey, fakeRequesterName, fakeReview, reviewCounts, seededRandom } from '../src/server/testing/fake-data.js';

const DAY = 86_400_000;

export interface LoadedData {
  requesterKeys: string[];
  /** Secrets of established accounts the load generator writes with. */
  benchSecrets: string[];
  reviews: number;
}

/** Multi-row INSERTs: 400 rows × ≤ 12 columns stays under both databases' parameter limits. */
class BatchInserter {
  private rows: SqlValue[][] = [];
  constructor(
    private readonly driver: SqlDriver,
    private readonly table: string,
    private readonly columns: string[],
    private readonly batch = 400,
    /** Runs before each flush: rows this table references must be written first. */
    private readonly before: () => Promise<void> = async () => undefined,
  ) {}

  async add(row: SqlValue[]): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= this.batch) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    await this.before();
    const rows = this.rows;
    this.rows = [];
    const placeholders = `(${this.columns.map(() => '?').join(', ')})`;
    const sql = `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${rows.map(() => placeholders).join(', ')}`;
    await this.driver.write((tx: SqlExecutor) => tx.run(sql, rows.flat()));
  }
}

export async function loadBenchData(
  driver: SqlDriver,
  options: { requesters: number; reviews: number; now: number; onProgress?: (done: number) => void },
): Promise<LoadedData> {
  const random = seededRandom(2026);
  const { now } = options;
  const [pepperRow] = await driver.read((tx) => tx.all<{ value: string }>(`SELECT value FROM server_meta WHERE name = 'pseudonym_pepper'`));
  const pepper = pepperRow!.value;

  // Accounts: about 20 reviews each, all established (created 30–900 days ago).
  const accountCount = Math.max(50, Math.round(options.reviews / 20));
  const accounts = new BatchInserter(driver, 'accounts', ['id', 'secret_hash', 'created_at']);
  const accountIds: string[] = [];
  const accountCreated: number[] = [];
  const benchSecrets: string[] = [];
  for (let i = 0; i < accountCount; i++) {
    const id = `acct${i.toString(36)}`;
    const secret = randomBytes(32).toString('base64url');
    if (i < 1000) benchSecrets.push(secret);
    const created = now - (30 + Math.floor(random() * 870)) * DAY;
    accountIds.push(id);
    accountCreated.push(created);
    await accounts.add([id, createHash('sha256').update(secret).digest('hex'), created]);
  }
  await accounts.flush();

  const requesters = new BatchInserter(driver, 'requesters', ['key', 'name', 'bucket', 'seq', 'row_json', 'row_digest', 'updated_at']);
  const reviews = new BatchInserter(driver, 'reviews', [
    'id', 'account_id', 'requester_key', 'task_id', 'author_pseudonym', 'body_json', 'created_at', 'author_young', 'status',
  ], 400, () => requesters.flush());
  const counts = reviewCounts(options.requesters, options.reviews, random);
  const requesterKeys: string[] = [];
  const seen = new Set<string>();
  let checksum = EMPTY_CHECKSUM;
  let seq = 0;
  let reviewTotal = 0;
  for (let r = 0; r < counts.length; r++) {
    const key = fakeRequesterKey(r, random);
    if (seen.has(key)) continue;
    seen.add(key);
    requesterKeys.push(key);
    const name = fakeRequesterName(random);
    const facts: ReviewFacts[] = [];
    const reviewRows: SqlValue[][] = [];
    for (let i = 0; i < counts[r]!; i++) {
      const a = Math.floor(random() * accountCount);
      const createdAt = Math.max(accountCreated[a]!, now - Math.floor(random() * 1000) * DAY) + Math.floor(random() * DAY);
      const body = fakeReview(key as never, name, `T${r.toString(36)}x${i.toString(36)}`, random);
      facts.push({ ...body, account: accountIds[a]!, established: true, createdAt: Math.min(createdAt, now) });
      reviewRows.push([
        `rv${reviewTotal.toString(36)}`, accountIds[a]!, key, body.taskId, pseudonym(pepper, accountIds[a]!, key),
        JSON.stringify(body), Math.min(createdAt, now), 0, 'visible',
      ]);
      reviewTotal += 1;
    }
    const summary = summarize(
      { key: key as never, name, reviews: facts, heldReviews: 0, suspensions: [], issueFlags: [], confirmed: { suspension: false, phishing: false } },
      now,
      DEFAULT_RULES,
    );
    const rowJson = canonicalRow(encodeSummary(summary));
    const digest = fnv1a32(rowJson);
    checksum = updateChecksum(checksum, null, digest);
    seq += 1;
    await requesters.add([key, name, bucketOf(key), seq, rowJson, digest, now]);
    for (const row of reviewRows) await reviews.add(row);
    if (r % 5000 === 4999) options.onProgress?.(r + 1);
  }
  await requesters.flush();
  await reviews.flush();
  await driver.write((tx) =>
    tx.run('UPDATE sync_state SET seq = ?, checksum_sum = ?, row_count = ?, aged_through = ? WHERE id = 1', [seq, checksum.sum, checksum.rows, now]),
  );
  return { requesterKeys, benchSecrets, reviews: reviewTotal };
}
