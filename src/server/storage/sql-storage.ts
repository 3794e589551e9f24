/**
 * The Storage implementation over a SqlDriver: SQLite and Postgres differ only in their
 * driver. `openStorage` picks the driver from the database string.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Rules } from '../../core/rules.js';
import type { Review } from '../../core/schemas.js';
import type { OwnReview, OwnSuspensionReport } from '../../core/sync-protocol.js';
import type { SqlDriver, SqlExecutor } from './driver.js';
import { recomputeRequester, requestersCrossingWindows, touchRequester } from './aggregate.js';
import { purgeClosedIncidentNotes } from './incidents.js';
import { migrate } from './migrate.js';
import { ownSuspensionReports } from './reports.js';
import { openPostgresDriver } from './postgres-driver.js';
import { openSqliteDriver } from './sqlite-driver.js';
import type {
  AccountRecord,
  BucketRequester,
  ChangesPage,
  ExportChunk,
  ParsedRequesterFlag,
  ParsedReviewFlag,
  ParsedSuspensionReport,
  Storage,
  StoredResponse,
  SyncHead,
  WriteContext,
} from './storage.js';
import { REVIEW_COLUMNS, bucketReviews, ownReview, publicReview, type ReviewRecord } from './views.js';
import { Writes } from './writes.js';
import { ModerationStore } from './moderation.js';

export const DEFAULT_SQLITE_PATH = join('data', 'lantern.sqlite');

export interface OpenOptions {
  /** Postgres only: the schema to use (created when missing); tests use one per run. */
  schema?: string;
  now?: () => number;
}

export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//.test(database);
}

export async function openStorage(database: string = DEFAULT_SQLITE_PATH, options: OpenOptions = {}): Promise<Storage> {
  const driver = isPostgresUrl(database)
    ? openPostgresDriver(database, options.schema ? { schema: options.schema } : {})
    : openSqliteDriver(database);
  try {
    await migrate(driver, undefined, (options.now ?? Date.now)());
    return await SqlStorage.load(driver);
  } catch (error) {
    await driver.close();
    throw error;
  }
}

interface HeadRow {
  seq: number;
  checksum_sum: number;
  row_count: number;
  /** Read with the head, not from this process's memory: another process may have published newer rules. */
  rules_version: number;
}

/** The latest published rules version, as a column of the head's statement. */
const RULES_VERSION = '(SELECT MAX(version) FROM rules_versions) AS rules_version';

class SqlStorage implements Storage {
  private readonly writes: Writes;
  /** One reload at a time when sync reads find newer rules in the database (the hot path must not start one each). */
  private refreshing: Promise<boolean> | null = null;
  readonly moderation: ModerationStore;

  private constructor(
    private readonly driver: SqlDriver,
    private readonly epoch: string,
    pepper: string,
    private currentRules: Rules,
  ) {
    const holder = {
      get: () => this.currentRules,
      set: (rules: Rules) => {
        this.currentRules = rules;
      },
    };
    this.writes = new Writes(driver, pepper, holder);
    this.moderation = new ModerationStore(driver, pepper, holder);
  }

  static async load(driver: SqlDriver): Promise<SqlStorage> {
    return driver.read(async (tx) => {
      const meta = new Map((await tx.all<{ name: string; value: string }>('SELECT name, value FROM server_meta')).map((r) => [r.name, r.value]));
      const [rulesRow] = await tx.all<{ rules_json: string }>('SELECT rules_json FROM rules_versions ORDER BY version DESC LIMIT 1');
      const epoch = meta.get('epoch');
      const pepper = meta.get('pseudonym_pepper');
      if (!epoch || !pepper || !rulesRow) throw new Error('the database was not initialised');
      const rules = Rules.safeParse(JSON.parse(rulesRow.rules_json));
      if (!rules.success) throw new Error('the published rules in the database are invalid');
      return new SqlStorage(driver, epoch, pepper, rules.data);
    });
  }

  get dialect() {
    return this.driver.dialect;
  }

  rules(): Rules {
    return this.currentRules;
  }

  async rulesVersion(version: number): Promise<Rules | null> {
    const [row] = await this.driver.query<{ rules_json: string }>('SELECT rules_json FROM rules_versions WHERE version = ?', [version]);
    return row ? (JSON.parse(row.rules_json) as Rules) : null;
  }

  createAccount(secretHash: string, now: number): Promise<AccountRecord> {
    return this.driver.write(async (tx) => {
      const id = randomBytes(12).toString('base64url');
      await tx.run('INSERT INTO accounts (id, secret_hash, created_at) VALUES (?, ?, ?)', [id, secretHash, now]);
      return { id, createdAt: now, mutedUntil: null, bannedAt: null };
    });
  }

  async accountBySecretHash(secretHash: string): Promise<AccountRecord | null> {
    const [row] = await this.driver.query<{ id: string; created_at: number; muted_until: number | null; banned_at: number | null }>(
      'SELECT id, created_at, muted_until, banned_at FROM accounts WHERE secret_hash = ?',
      [secretHash],
    );
    return row ? { id: row.id, createdAt: row.created_at, mutedUntil: row.muted_until, bannedAt: row.banned_at } : null;
  }

  createReview(ctx: WriteContext, review: Review): Promise<StoredResponse> {
    return this.writes.createReview(ctx, review);
  }
  updateReview(ctx: WriteContext, id: string, review: Review): Promise<StoredResponse> {
    return this.writes.updateReview(ctx, id, review);
  }
  deleteReview(ctx: WriteContext, id: string): Promise<StoredResponse> {
    return this.writes.deleteReview(ctx, id);
  }
  reportSuspension(ctx: WriteContext, report: ParsedSuspensionReport): Promise<StoredResponse> {
    return this.writes.reportSuspension(ctx, report);
  }
  updateSuspensionReport(ctx: WriteContext, id: string, report: ParsedSuspensionReport): Promise<StoredResponse> {
    return this.writes.updateSuspensionReport(ctx, id, report);
  }
  withdrawSuspensionReport(ctx: WriteContext, id: string): Promise<StoredResponse> {
    return this.writes.withdrawSuspensionReport(ctx, id);
  }
  ownSuspensionReports(accountId: string): Promise<OwnSuspensionReport[]> {
    return this.driver.read((tx) => ownSuspensionReports(tx, accountId));
  }
  flagRequester(ctx: WriteContext, flag: ParsedRequesterFlag): Promise<StoredResponse> {
    return this.writes.flagRequester(ctx, flag);
  }
  flagReview(ctx: WriteContext, flag: ParsedReviewFlag): Promise<StoredResponse> {
    return this.writes.flagReview(ctx, flag);
  }

  async ownReviews(accountId: string): Promise<OwnReview[]> {
    const rows = await this.driver.query<ReviewRecord>(
      `SELECT ${REVIEW_COLUMNS} FROM reviews WHERE account_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id`,
      [accountId],
    );
    return rows.map(ownReview);
  }

  private async head(tx: Pick<SqlExecutor, 'all'>): Promise<SyncHead> {
    const [row] = await tx.all<HeadRow>(`SELECT seq, checksum_sum, row_count, ${RULES_VERSION} FROM sync_state WHERE id = 1`);
    if (!row) throw new Error('sync_state is missing');
    return this.toHead(row);
  }

  private toHead(row: HeadRow): SyncHead {
    const rulesVersion = Number(row.rules_version);
    // Newer rules than this process holds: published by another process a moment ago (its
    // notification is on its way); load them now rather than serve the old ones meanwhile.
    if (rulesVersion > this.currentRules.version) this.refreshing ??= this.refreshRules().catch(() => false).finally(() => (this.refreshing = null));
    return { epoch: this.epoch, seq: row.seq, checksum: { rows: row.row_count, sum: row.checksum_sum }, rulesVersion };
  }

  syncHead(): Promise<SyncHead> {
    return this.head({ all: (sql, params) => this.driver.query(sql, params) });
  }

  async changesSince(seq: number, limit: number): Promise<ChangesPage> {
    // One statement, so the head and the page come from the same snapshot on both
    // databases without a transaction: the hottest endpoint pays one round trip.
    // A merged-away key has an empty row text: it goes to `removed`.
    const rows = await this.driver.query<HeadRow & { row_json: string | null; key: string | null }>(
      `SELECT seq, checksum_sum, row_count, ${RULES_VERSION}, NULL AS row_json, NULL AS key FROM sync_state WHERE id = 1
       UNION ALL
       SELECT * FROM (SELECT seq, 0 AS checksum_sum, 0 AS row_count, 0 AS rules_version, row_json, key FROM requesters WHERE seq > ? ORDER BY seq LIMIT ?) AS page`,
      [seq, limit + 1],
    );
    const headRow = rows.find((r) => r.row_json === null);
    if (!headRow) throw new Error('sync_state is missing');
    const changes = rows.filter((r) => r.row_json !== null).sort((a, b) => a.seq - b.seq);
    const more = changes.length > limit;
    const page = more ? changes.slice(0, limit) : changes;
    const head = this.toHead(headRow);
    return {
      head,
      rows: page.filter((r) => r.row_json !== '').map((r) => r.row_json!),
      removed: page.filter((r) => r.row_json === '').map((r) => r.key!),
      through: more ? (page.at(-1)?.seq ?? seq) : head.seq,
      more,
    };
  }

  snapshot(): Promise<{ head: SyncHead; rows: string[] }> {
    return this.driver.read(async (tx) => {
      const head = await this.head(tx);
      const rows = await tx.all<{ row_json: string }>('SELECT row_json FROM requesters WHERE seq > 0 AND merged_into IS NULL ORDER BY key');
      return { head, rows: rows.map((r) => r.row_json) };
    });
  }

  bucket(prefix: string, perRequester: number): Promise<BucketRequester[]> {
    return this.driver.read(async (tx) => {
      // A range, not LIKE: both databases then use the index. Hex digits sort below 'g'.
      const inBucket = 'SELECT key FROM requesters WHERE bucket >= ? AND bucket < ? AND seq > 0 AND merged_into IS NULL';
      const range = [prefix, `${prefix}g`];
      const visible = `status = 'visible' AND deleted_at IS NULL`;
      const requesters = await tx.all<{ key: string; name: string; n: number }>(
        `SELECT q.key, q.name, (SELECT COUNT(*) FROM reviews r WHERE r.requester_key = q.key AND ${visible}) AS n
         FROM requesters q WHERE q.key IN (${inBucket}) ORDER BY q.key`,
        range,
      );
      const reviews = await bucketReviews(tx, prefix, perRequester);
      const byRequester = new Map<string, BucketRequester>();
      for (const r of requesters) byRequester.set(r.key, { key: r.key, name: r.name, totalVisible: Number(r.n), reviews: [] });
      for (const row of reviews) byRequester.get(row.requester_key)?.reviews.push(publicReview(row));
      return [...byRequester.values()];
    });
  }

  async *exportChunks(): AsyncIterable<ExportChunk> {
    const batch = 2000;
    let after = '';
    for (;;) {
      const rows = await this.driver.read((tx) =>
        tx.all<{ key: string; row_json: string }>('SELECT key, row_json FROM requesters WHERE key > ? AND seq > 0 AND merged_into IS NULL ORDER BY key LIMIT ?', [after, batch]),
      );
      if (rows.length === 0) break;
      after = rows.at(-1)!.key;
      yield { summaries: rows.map((r) => r.row_json), reviews: [] };
    }
    let afterId = '';
    for (;;) {
      const rows = await this.driver.read((tx) =>
        tx.all<ReviewRecord>(
          `SELECT ${REVIEW_COLUMNS} FROM reviews WHERE id > ? AND status = 'visible' AND deleted_at IS NULL
           AND requester_key NOT IN (SELECT key FROM requesters WHERE merged_into IS NOT NULL) ORDER BY id LIMIT ?`,
          [afterId, batch],
        ),
      );
      if (rows.length === 0) break;
      afterId = rows.at(-1)!.id;
      yield { summaries: [], reviews: rows.map((r) => ({ requester: r.requester_key, ...publicReview(r) })) };
    }
  }

  /** Another process may have published rules (several API processes on one Postgres). */
  async refreshRules(): Promise<boolean> {
    const [row] = await this.driver.query<{ rules_json: string }>('SELECT rules_json FROM rules_versions ORDER BY version DESC LIMIT 1');
    const rules = row ? Rules.safeParse(JSON.parse(row.rules_json)) : null;
    if (!rules?.success || rules.data.version <= this.currentRules.version) return false;
    this.currentRules = rules.data;
    return true;
  }

  async rulesState(): Promise<{ version: number; recomputing: boolean }> {
    const [row] = await this.driver.query<{ version: number; pending: number }>(
      `SELECT (SELECT MAX(version) FROM rules_versions) AS version,
              (SELECT COUNT(*) FROM server_meta WHERE name = 'rules_recompute_after') AS pending`,
    );
    return { version: Number(row?.version ?? 0), recomputing: Number(row?.pending ?? 0) > 0 };
  }

  async claimJobRun(job: string, slot: number, runner: string, now: number): Promise<boolean> {
    const claimed = await this.driver.write((tx) =>
      tx.run('INSERT INTO job_runs (job, slot, runner, started_at) VALUES (?, ?, ?, ?) ON CONFLICT (job, slot) DO NOTHING', [job, slot, runner, now]),
    );
    return claimed === 1;
  }

  async finishJobRun(job: string, slot: number, now: number): Promise<void> {
    await this.driver.write((tx) => tx.run('UPDATE job_runs SET finished_at = ? WHERE job = ? AND slot = ?', [now, job, slot]));
  }

  async releaseJobRun(job: string, slot: number, runner: string): Promise<void> {
    await this.driver.write((tx) => tx.run('DELETE FROM job_runs WHERE job = ? AND slot = ? AND runner = ? AND finished_at IS NULL', [job, slot, runner]));
  }

  pruneJobRuns(before: number): Promise<number> {
    return this.driver.write((tx) => tx.run('DELETE FROM job_runs WHERE started_at < ?', [before]));
  }

  async ageWindows(now: number): Promise<number> {
    await this.refreshRules();
    const rules = this.currentRules;
    const [state] = await this.driver.query<{ aged_through: number }>('SELECT aged_through FROM sync_state WHERE id = 1');
    const from = state?.aged_through ?? now;
    if (now <= from) return 0;
    const keys = await this.driver.read((tx) => requestersCrossingWindows(tx, from, now, rules));
    let changed = 0;
    // One short transaction per requester: writes for other requesters are never held up.
    for (const key of keys) {
      const recomputed = await this.driver.write(async (tx) => {
        await touchRequester(tx, key, null, now);
        return recomputeRequester(tx, key, now, rules);
      });
      if (recomputed) changed += 1;
    }
    await this.driver.write((tx) => tx.run('UPDATE sync_state SET aged_through = ? WHERE id = 1 AND aged_through < ?', [now, now]));
    // The same hourly job deletes notes whose retention ran out (privacy: issue 11).
    await purgeClosedIncidentNotes(this.driver, rules, now);
    return changed;
  }

  pruneIdempotency(before: number): Promise<number> {
    return this.driver.write((tx) => tx.run('DELETE FROM idempotency WHERE created_at < ?', [before]));
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
