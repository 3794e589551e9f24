/**
 * The benchmark's community, built in bulk (never through the API) and kept between runs.
 *
 * - Rows: accounts (created 30–900 days ago), requesters with heavy-tailed review counts,
 *   reviews spread over the last 1,000 days. Deterministic (seeded), so a rebuilt dataset is
 *   the same dataset. Account secrets are derived from their index, so a cached dataset
 *   still has secrets the load generator can write with.
 * - Summaries are computed by `summarize` from exactly the facts the server's
 *   `recomputeRequester` reads (established and young by the same rules), and a sample of
 *   requesters is then recomputed by the server's own code inside a rolled-back
 *   transaction: any difference fails the build (`checkSummaries`).
 * - Fast: the indexes that no constraint needs are dropped during the load and rebuilt
 *   after it (a sort instead of millions of random B-tree inserts); SQLite loads in one
 *   transaction with one prepared statement per table and no journal; PostgreSQL with
 *   `INSERT … SELECT FROM unnest($1::text[], …)` of 5,000 rows a statement, one in flight
 *   while the next batch is generated.
 * - Cached: SQLite in `/tmp/lantern-bench-<key>.sqlite`, PostgreSQL in a database
 *   `lantern_bench_<size>` (e.g. `lantern_bench_5m`) tagged with the key; the key names
 *   the sizes and this generator's version, and newer migrations are applied to the cached
 *   dataset by the server's own `migrate` before it is copied. Each run works on a copy
 *   (file copy; `CREATE DATABASE … TEMPLATE`), so its POSTs never drift the cached data.
 *   Builds go to a temporary name and are renamed when complete.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, constants, existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { summarize, type ReviewFacts } from '../src/core/rating.js';
import { DEFAULT_RULES } from '../src/core/rules.js';
import { fnv1a32 } from '../src/core/hash.js';
import { canonicalRow, encodeSummary, updateChecksum, EMPTY_CHECKSUM } from '../src/core/sync-protocol.js';
import { bucketOf, establishedWhenWritten, recomputeRequester } from '../src/server/storage/aggregate.js';
import type { SqlDriver } from '../src/server/storage/driver.js';
import { migrate } from '../src/server/storage/migrate.js';
import { openPostgresDriver } from '../src/server/storage/postgres-driver.js';
import { openSqliteDriver } from '../src/server/storage/sqlite-driver.js';
import { pseudonym } from '../src/server/storage/views.js';
import { fakeRequesterKey, fakeRequesterName, fakeReview, reviewCounts, seededRandom } from '../src/server/testing/fake-data.js';

const DAY = 86_400_000;
/**
 * Bump when the rows this file generates change: cached datasets are then rebuilt.
 * 3: migrations 007/008 were renumbered 006/007 before release; datasets cached under 2 carry the old numbers.
 */
const GENERATOR_VERSION = 3;
/** The tables loaded in bulk (their secondary indexes are rebuilt after the load). */
const LOADED_TABLES = ['accounts', 'requesters', 'reviews'];

export interface DatasetSpec {
  requesters: number;
  reviews: number;
  accounts: number;
}

export interface LoadedData {
  requesterKeys: string[];
  /** Secrets of established accounts the load generator writes with. */
  benchSecrets: string[];
  reviews: number;
  accounts: number;
}

export interface PreparedDataset {
  /** What the server is started with: a per-run copy of the cached dataset. */
  database: string;
  data: LoadedData;
  /** Whether this run built the cached dataset (false: it was reused). */
  built: boolean;
  buildSeconds: number | null;
  copySeconds: number;
  /** Sampled requesters whose stored summary the server's own recompute reproduced. */
  checked: { sampled: number; identical: number } | null;
  /** Deletes the per-run copy. */
  dispose: () => Promise<void>;
}

/**
 * A cached dataset is reused only under the same key. The schema version is not in it: a
 * cached dataset is brought to the current schema by the server's own migrations, as a
 * production database would be.
 */
export function datasetKey(spec: DatasetSpec): string {
  return `${spec.requesters}r-${spec.reviews}v-${spec.accounts}a-g${GENERATOR_VERSION}`;
}

/** 5,000,000 → "5m", 50,000 → "50k". */
function short(n: number): string {
  return n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

/** Account i's secret: derived, so a cached dataset needs no list of secrets. */
export function benchSecret(i: number): string {
  return createHash('sha256').update(`lantern-bench-account-${i}`).digest('base64url');
}

const BENCH_SECRETS = 1000;

// ---------------------------------------------------------------------------------------
// Row generation, the same for both databases.

type Cell = string | number | null;
interface TableSpec {
  table: string;
  /** Column name and its PostgreSQL array type for unnest. */
  columns: Array<[string, 'text' | 'int8' | 'int4']>;
}
const ACCOUNTS: TableSpec = { table: 'accounts', columns: [['id', 'text'], ['secret_hash', 'text'], ['created_at', 'int8']] };
const REQUESTERS: TableSpec = {
  table: 'requesters',
  columns: [['key', 'text'], ['name', 'text'], ['bucket', 'text'], ['seq', 'int8'], ['row_json', 'text'], ['row_digest', 'int8'], ['updated_at', 'int8']],
};
const REVIEWS: TableSpec = {
  table: 'reviews',
  columns: [
    ['id', 'text'], ['account_id', 'text'], ['requester_key', 'text'], ['task_id', 'text'], ['author_pseudonym', 'text'],
    ['body_json', 'text'], ['created_at', 'int8'], ['author_young', 'int4'], ['status', 'text'],
  ],
};

/** Where generated rows go; `add` may return a promise (back-pressure). */
interface Sink {
  add(table: TableSpec, row: Cell[]): void | Promise<void>;
  flush(): Promise<void>;
}

const padded = (n: number, width: number) => n.toString(36).padStart(width, '0');

async function generate(
  sink: Sink,
  spec: DatasetSpec,
  pepper: string,
  now: number,
  onProgress: (text: string) => void,
): Promise<{ seq: number; checksum: { sum: number; rows: number }; reviews: number; requesterKeys: string[] }> {
  const rules = DEFAULT_RULES;
  const random = seededRandom(2026);
  const accountCreated: number[] = [];
  for (let i = 0; i < spec.accounts; i++) {
    const created = now - (30 + Math.floor(random() * 870)) * DAY;
    accountCreated.push(created);
    await sink.add(ACCOUNTS, [`acct${padded(i, 5)}`, createHash('sha256').update(benchSecret(i)).digest('hex'), created]);
  }
  onProgress(`${spec.accounts.toLocaleString()} accounts`);

  // Requesters in key order: the requester-keyed indexes then grow at their end.
  const counts = reviewCounts(spec.requesters, spec.reviews, random);
  const seen = new Set<string>();
  const requesters: Array<{ key: string; name: string; count: number; index: number }> = [];
  for (let r = 0; r < counts.length; r++) {
    const key = fakeRequesterKey(r, random);
    const name = fakeRequesterName(random);
    if (seen.has(key)) continue;
    seen.add(key);
    requesters.push({ key, name, count: counts[r]!, index: r });
  }
  requesters.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  let checksum = EMPTY_CHECKSUM;
  let seq = 0;
  let reviewTotal = 0;
  const youngMs = rules.moderation.brigade.youngAccountDays * DAY;
  for (const { key, name, count, index } of requesters) {
    const facts: ReviewFacts[] = [];
    const rows: Cell[][] = [];
    const accountsUsed = new Set<number>();
    for (let i = 0; i < count; i++) {
      // One review per account and requester keeps (account, requester, task) unique
      // and is how reviewing works: a worker reviews a requester's tasks, few of them.
      let a = Math.floor(random() * spec.accounts);
      if (count < spec.accounts / 2) while (accountsUsed.has(a)) a = Math.floor(random() * spec.accounts);
      accountsUsed.add(a);
      const accountId = `acct${padded(a, 5)}`;
      const createdAt = Math.min(now, Math.max(accountCreated[a]!, now - Math.floor(random() * 1000) * DAY) + Math.floor(random() * DAY));
      const body = fakeReview(key as never, name, `T${index.toString(36)}x${i.toString(36)}`, random);
      facts.push({
        ...body,
        account: accountId,
        established: establishedWhenWritten(accountCreated[a]!, null, null, createdAt, now, rules),
        createdAt,
      });
      rows.push([
        `rv${padded(reviewTotal, 6)}`, accountId, key, body.taskId, pseudonym(pepper, accountId, key),
        JSON.stringify(body), createdAt, createdAt - accountCreated[a]! < youngMs ? 1 : 0, 'visible',
      ]);
      reviewTotal += 1;
    }
    const summary = summarize(
      { key: key as never, name, reviews: facts, heldReviews: 0, suspensions: [], issueFlags: [], confirmed: { suspension: false, phishing: false }, suspectTasks: [] },
      now,
      rules,
    );
    const rowJson = canonicalRow(encodeSummary(summary));
    const digest = fnv1a32(rowJson);
    checksum = updateChecksum(checksum, null, digest);
    seq += 1;
    await sink.add(REQUESTERS, [key, name, bucketOf(key), seq, rowJson, digest, now]);
    for (const row of rows) await sink.add(REVIEWS, row);
    if (seq % 5000 === 0) onProgress(`${seq.toLocaleString()} requesters, ${reviewTotal.toLocaleString()} reviews`);
  }
  await sink.flush();
  return { seq, checksum, reviews: reviewTotal, requesterKeys: requesters.map((r) => r.key) };
}

// ---------------------------------------------------------------------------------------
// The server's own recompute must reproduce the generated summaries.

/** Recomputes a sample (the largest requesters and a spread of others) and rolls back. */
async function checkSummaries(driver: SqlDriver, keys: string[], now: number): Promise<{ sampled: number; identical: number }> {
  const sample = new Set<string>();
  const step = Math.max(1, Math.floor(keys.length / 200));
  for (let i = 0; i < keys.length; i += step) sample.add(keys[i]!);
  const largest = await driver.query<{ key: string }>(
    'SELECT requester_key AS key FROM reviews GROUP BY requester_key ORDER BY COUNT(*) DESC LIMIT 20',
  );
  for (const r of largest) sample.add(r.key);
  let identical = 0;
  const rollback = new Error('rolled back on purpose');
  await driver
    .write(async (tx) => {
      for (const key of sample) if (!(await recomputeRequester(tx, key, now, DEFAULT_RULES))) identical += 1;
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return { sampled: sample.size, identical };
}

async function setSyncState(driver: SqlDriver, seq: number, checksum: { sum: number; rows: number }, now: number, key: string) {
  await driver.write(async (tx) => {
    await tx.run('UPDATE sync_state SET seq = ?, checksum_sum = ?, row_count = ?, aged_through = ? WHERE id = 1', [seq, checksum.sum, checksum.rows, now]);
    // Written last: a dataset without it is incomplete and never reused.
    await tx.run(`INSERT INTO server_meta (name, value) VALUES ('bench_dataset', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, [key]);
  });
}

async function readLoaded(driver: SqlDriver, spec: DatasetSpec): Promise<LoadedData> {
  const keys = await driver.query<{ key: string }>('SELECT key FROM requesters WHERE seq > 0 AND merged_into IS NULL ORDER BY key');
  const [count] = await driver.query<{ n: number }>('SELECT COUNT(*) AS n FROM reviews');
  return {
    requesterKeys: keys.map((r) => r.key),
    benchSecrets: Array.from({ length: Math.min(BENCH_SECRETS, spec.accounts) }, (_, i) => benchSecret(i)),
    reviews: Number(count!.n),
    accounts: spec.accounts,
  };
}

async function pepperOf(driver: SqlDriver): Promise<string> {
  const [row] = await driver.query<{ value: string }>(`SELECT value FROM server_meta WHERE name = 'pseudonym_pepper'`);
  return row!.value;
}

// ---------------------------------------------------------------------------------------
// Into a database some other bench opened (bench:sync, bench:page): through its driver,
// multi-row INSERTs, referenced tables flushed first. Not cached.

function driverSink(driver: SqlDriver): Sink {
  const BATCH = 400; // × ≤ 9 columns: under both databases' parameter limits
  const buffers = new Map<TableSpec, Cell[][]>([[ACCOUNTS, []], [REQUESTERS, []], [REVIEWS, []]]);
  const flush = async () => {
    for (const [table, rows] of buffers) {
      if (rows.length === 0) continue;
      buffers.set(table, []);
      const placeholders = `(${table.columns.map(() => '?').join(', ')})`;
      const sql = `INSERT INTO ${table.table} (${table.columns.map((c) => c[0]).join(', ')}) VALUES ${rows.map(() => placeholders).join(', ')}`;
      await driver.write((tx) => tx.run(sql, rows.flat()));
    }
  };
  return {
    async add(table, row) {
      const rows = buffers.get(table)!;
      rows.push(row);
      if (rows.length >= BATCH) await flush();
    },
    flush,
  };
}

/** Fills a freshly migrated database (about 10 reviews per account unless `accounts` is given). */
export async function loadBenchData(
  driver: SqlDriver,
  options: { requesters: number; reviews: number; accounts?: number; now: number; onProgress?: (text: string) => void },
): Promise<LoadedData> {
  const spec = { requesters: options.requesters, reviews: options.reviews, accounts: options.accounts ?? Math.max(50, Math.round(options.reviews / 10)) };
  const result = await generate(driverSink(driver), spec, await pepperOf(driver), options.now, options.onProgress ?? (() => undefined));
  await setSyncState(driver, result.seq, result.checksum, options.now, datasetKey(spec));
  return {
    requesterKeys: result.requesterKeys,
    benchSecrets: Array.from({ length: Math.min(BENCH_SECRETS, spec.accounts) }, (_, i) => benchSecret(i)),
    reviews: result.reviews,
    accounts: spec.accounts,
  };
}

// ---------------------------------------------------------------------------------------
// SQLite

function sqliteSink(db: Database.Database): Sink {
  const statements = new Map<TableSpec, Database.Statement>();
  return {
    add(table, row) {
      let statement = statements.get(table);
      if (!statement) {
        statement = db.prepare(`INSERT INTO ${table.table} (${table.columns.map((c) => c[0]).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`);
        statements.set(table, statement);
      }
      statement.run(...row);
    },
    async flush() {},
  };
}

async function buildSqlite(path: string, spec: DatasetSpec, key: string, now: number, onProgress: (text: string) => void) {
  rmSync(path, { force: true });
  const driver = openSqliteDriver(path);
  await migrate(driver, undefined, now);
  const pepper = await pepperOf(driver);
  await driver.close();

  const db = new Database(path);
  // A scratch file until it is renamed: no journal, no fsync, a 2 GB page cache.
  db.pragma('journal_mode = DELETE'); // out of WAL first: WAL cannot switch to OFF directly
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -2000000');
  db.pragma('foreign_keys = OFF');
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${LOADED_TABLES.map(() => '?').join(', ')})`)
    .all(...LOADED_TABLES) as Array<{ name: string; sql: string }>;
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  db.exec('BEGIN');
  const result = await generate(sqliteSink(db), spec, pepper, now, onProgress);
  db.exec('COMMIT');
  onProgress(`rebuilding ${indexes.length} indexes`);
  for (const index of indexes) db.exec(index.sql);
  db.pragma('journal_mode = WAL');
  db.close();

  const check = openSqliteDriver(path);
  try {
    await setSyncState(check, result.seq, result.checksum, now, key);
    onProgress('checking summaries against the server’s recompute');
    return await checkSummaries(check, result.requesterKeys, now);
  } finally {
    await check.close();
  }
}

export async function prepareSqlite(spec: DatasetSpec, options: { now: number; onProgress: (text: string) => void; runId: string }): Promise<PreparedDataset> {
  const key = datasetKey(spec);
  const cached = `/tmp/lantern-bench-${key}.sqlite`;
  let built = false;
  let buildSeconds: number | null = null;
  let checked: PreparedDataset['checked'] = null;
  if (!existsSync(cached)) {
    const building = `${cached}.building-${process.pid}`;
    const start = performance.now();
    try {
      checked = await buildSqlite(building, spec, key, options.now, options.onProgress);
      if (checked.identical !== checked.sampled) throw new Error(`generated summaries differ from the server's recompute: ${checked.sampled - checked.identical} of ${checked.sampled}`);
      renameSync(building, cached);
    } finally {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
    }
    built = true;
    buildSeconds = (performance.now() - start) / 1000;
  }
  const migrated = openSqliteDriver(cached);
  await migrate(migrated, undefined, options.now).finally(() => migrated.close());
  const database = `/tmp/lantern-bench-run-${options.runId}.sqlite`;
  const copyStart = performance.now();
  // A copy-on-write clone where the file system offers one, a plain copy elsewhere.
  copyFileSync(cached, database, constants.COPYFILE_FICLONE);
  const copySeconds = (performance.now() - copyStart) / 1000;
  const driver = openSqliteDriver(database);
  try {
    return {
      database,
      data: await readLoaded(driver, spec),
      built,
      buildSeconds,
      copySeconds,
      checked,
      dispose: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
      },
    };
  } finally {
    await driver.close();
  }
}

// ---------------------------------------------------------------------------------------
// PostgreSQL

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  parsed.searchParams.delete('schema');
  return parsed.toString();
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function postgresSink(client: pg.Client): Sink {
  const BATCH = 5000;
  const buffers = new Map<TableSpec, Cell[][]>();
  let inFlight: Promise<unknown> = Promise.resolve();
  const send = async (table: TableSpec, rows: Cell[][]) => {
    const columns = table.columns.map((_, c) => rows.map((row) => row[c]!));
    const unnest = table.columns.map(([, type], c) => `$${c + 1}::${type}[]`).join(', ');
    // Wait for the previous batch only now: generating this one overlapped with it.
    await inFlight;
    const query = client.query(`INSERT INTO ${table.table} (${table.columns.map((c) => c[0]).join(', ')}) SELECT * FROM unnest(${unnest})`, columns);
    query.catch(() => undefined); // awaited (and its error thrown) before the next batch or at flush
    inFlight = query;
  };
  return {
    async add(table, row) {
      let rows = buffers.get(table);
      if (!rows) buffers.set(table, (rows = []));
      rows.push(row);
      if (rows.length >= BATCH) {
        buffers.set(table, []);
        await send(table, rows);
      }
    },
    async flush() {
      // Referenced tables first, as in the load order.
      for (const table of [ACCOUNTS, REQUESTERS, REVIEWS]) {
        const rows = buffers.get(table);
        if (rows?.length) await send(table, rows);
        buffers.set(table, []);
      }
      await inFlight;
    },
  };
}

async function buildPostgres(url: string, spec: DatasetSpec, key: string, now: number, onProgress: (text: string) => void) {
  const driver = openPostgresDriver(url);
  await migrate(driver, undefined, now);
  const pepper = await pepperOf(driver);
  await driver.close();

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let result: Awaited<ReturnType<typeof generate>>;
  try {
    // Foreign-key triggers off for the load (the rows are consistent by construction).
    await client.query(`SET session_replication_role = replica`);
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET maintenance_work_mem = '1GB'`);
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [LOADED_TABLES],
    );
    for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
    await client.query('BEGIN');
    result = await generate(postgresSink(client), spec, pepper, now, onProgress);
    await client.query('COMMIT');
    onProgress(`rebuilding ${indexes.length} indexes`);
    for (const index of indexes) await client.query(index.def);
    await client.query(`VACUUM ANALYZE`);
  } finally {
    await client.end();
  }
  const check = openPostgresDriver(url);
  try {
    await setSyncState(check, result.seq, result.checksum, now, key);
    onProgress('checking summaries against the server’s recompute');
    return await checkSummaries(check, result.requesterKeys, now);
  } finally {
    await check.close();
  }
}

/** A template database cannot be copied while anyone (autovacuum too) is connected: retry. */
async function createFromTemplate(client: pg.Client, name: string, template: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY FILE_COPY`);
      return;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function preparePostgres(
  pgUrl: string,
  spec: DatasetSpec,
  options: { now: number; onProgress: (text: string) => void; runId: string },
): Promise<PreparedDataset> {
  const key = datasetKey(spec);
  const cachedName = `lantern_bench_${short(spec.reviews)}`;
  const cachedKey = await admin(pgUrl, async (client) => {
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [cachedName]);
    if (rows.length === 0) return null;
    const probe = new pg.Client({ connectionString: withDatabase(pgUrl, cachedName) });
    await probe.connect();
    try {
      const meta = await probe.query(`SELECT value FROM server_meta WHERE name = 'bench_dataset'`).catch(() => ({ rows: [] as Array<{ value: string }> }));
      return (meta.rows[0] as { value: string } | undefined)?.value ?? '';
    } finally {
      await probe.end();
    }
  });
  let built = false;
  let buildSeconds: number | null = null;
  let checked: PreparedDataset['checked'] = null;
  if (cachedKey !== key) {
    const building = `${cachedName}_building_${process.pid}`;
    const start = performance.now();
    await admin(pgUrl, (client) => client.query(`CREATE DATABASE ${building}`));
    try {
      checked = await buildPostgres(withDatabase(pgUrl, building), spec, key, options.now, options.onProgress);
      if (checked.identical !== checked.sampled) throw new Error(`generated summaries differ from the server's recompute: ${checked.sampled - checked.identical} of ${checked.sampled}`);
      await admin(pgUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${cachedName} WITH (FORCE)`);
        await client.query(`ALTER DATABASE ${building} RENAME TO ${cachedName}`);
      });
    } finally {
      await admin(pgUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`));
    }
    built = true;
    buildSeconds = (performance.now() - start) / 1000;
  }
  const migrated = openPostgresDriver(withDatabase(pgUrl, cachedName));
  await migrate(migrated, undefined, options.now).finally(() => migrated.close());
  const runName = `lantern_bench_run_${options.runId}`;
  const copyStart = performance.now();
  await admin(pgUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${runName} WITH (FORCE)`);
    await createFromTemplate(client, runName, cachedName);
  });
  const copySeconds = (performance.now() - copyStart) / 1000;
  const database = withDatabase(pgUrl, runName);
  const driver = openPostgresDriver(database);
  try {
    return {
      database,
      data: await readLoaded(driver, spec),
      built,
      buildSeconds,
      copySeconds,
      checked,
      dispose: () => admin(pgUrl, async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${runName} WITH (FORCE)`))),
    };
  } finally {
    await driver.close();
  }
}
