/**
 * Durability under the worst stop: the server process is killed (SIGKILL, no shutdown
 * code runs) again and again while clients write concurrently, on SQLite and PostgreSQL.
 * Clients behave as the extension's outbox does: one Idempotency-Key per logical write,
 * retried after any failure until a 2xx arrives. Afterwards:
 *   - no acknowledged write is lost (every acknowledged review id is a row),
 *   - none is duplicated (one row per logical write; replays return the first id),
 *   - the sync feed is consistent after restart (the delta's checksum equals the checksum
 *     of its own rows and of the snapshot's; the summaries count exactly the stored reviews).
 * Figures (kills, writes, acknowledgements lost in flight) are printed for the record.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../core/rules.js';
import { checksumOf, decodeSummary, DeltaBody, EncodedSummary, SnapshotBody } from '../core/sync-protocol.js';
import { createTestDatabase, testBackends, type TestDatabase } from './testing/databases.js';
import { review } from './testing/builders.js';

const KILLS = Number(process.env.LANTERN_DURABILITY_KILLS ?? 6);
const CLIENTS = 8;
const REQUESTERS = ['mturk:A1DURABLE00001', 'mturk:A2DURABLE00002', 'mturk:A3DURABLE00003', 'prolific:5f0c1a2b3c4d5e6f70819299'];

interface RunningServer {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

/** Starts `src/server/cli.ts` as an operator would; resolves once it listens. */
function startServerProcess(db: TestDatabase): Promise<RunningServer> {
  const database = db.backend === 'postgres' ? `${db.database}${db.database.includes('?') ? '&' : '?'}schema=${db.options.schema}` : db.database;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', '--port', '0', '--no-rate-limits', '--log-level', 'info'], {
    env: { ...process.env, LANTERN_DATABASE: database, LANTERN_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const hit = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (hit) resolve({ child, url: hit[1]!, exited });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${stderr.slice(-2000)}`)));
  });
}

interface LogicalWrite {
  idempotencyKey: string;
  secret: string;
  body: ReturnType<typeof review>;
  ackedIds: string[];
  attempts: number;
  /** Acknowledged by a replay: an earlier attempt committed, but its answer died with the server. */
  replayed: boolean;
}

async function runScenario(db: TestDatabase) {
  let server = await startServerProcess(db);
  const secrets: string[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const response = await fetch(`${server.url}/v1/accounts`, { method: 'POST' });
    expect(response.status).toBe(201);
    secrets.push(((await response.json()) as { accountSecret: string }).accountSecret);
  }

  const writes: LogicalWrite[] = [];
  let stopping = false;
  let inFlightFailures = 0;
  let up: Promise<void> = Promise.resolve();

  /** One attempt of a logical write; true once acknowledged (2xx). */
  async function attempt(write: LogicalWrite): Promise<boolean> {
    write.attempts += 1;
    try {
      const response = await fetch(`${server.url}/v1/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${write.secret}`, 'idempotency-key': write.idempotencyKey },
        body: JSON.stringify(write.body),
      });
      if (response.status !== 201) {
        // Anything but an acknowledgement or a network failure is a bug in this scenario.
        throw new Error(`unexpected ${response.status}: ${await response.text()}`);
      }
      write.ackedIds.push(((await response.json()) as { review: { id: string } }).review.id);
      if (response.headers.get('idempotent-replayed') === 'true') write.replayed = true;
      return true;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('unexpected')) throw error;
      inFlightFailures += 1;
      return false;
    }
  }

  async function client(index: number): Promise<void> {
    let n = 0;
    while (!stopping) {
      const write: LogicalWrite = {
        idempotencyKey: randomUUID(),
        secret: secrets[index]!,
        body: review({ requester: REQUESTERS[n % REQUESTERS.length]!, requesterName: `Durable ${n % REQUESTERS.length}`, taskId: `D${index}x${n}`, ...(REQUESTERS[n % REQUESTERS.length]!.startsWith('prolific') ? { reward: { cents: 100, currency: 'GBP' } } : {}) }),
        ackedIds: [],
        attempts: 0,
        replayed: false,
      };
      writes.push(write);
      n += 1;
      // Retry the same key until acknowledged, as the outbox does, waiting for the restart.
      while (!(await attempt(write))) await up;
    }
  }

  const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
  const ackedAt = () => writes.filter((w) => w.ackedIds.length > 0).length;
  for (let kill = 0; kill < KILLS; kill++) {
    // Let some writes be acknowledged on this life of the server, then kill it mid-stream.
    const target = ackedAt() + 20 + Math.floor(Math.random() * 40);
    while (ackedAt() < target) await new Promise((r) => setTimeout(r, 5));
    let restarted!: () => void;
    up = new Promise((r) => (restarted = r));
    server.child.kill('SIGKILL');
    await server.exited;
    server = await startServerProcess(db);
    restarted();
  }
  stopping = true;
  await Promise.all(clients);

  // Read the feed from the restarted server (after the last kill).
  const snapshot = SnapshotBody.parse(await (await fetch(`${server.url}/v1/sync/snapshot`)).json());
  const rows = new Map<string, EncodedSummary>();
  let since = `${snapshot.version.split('.')[0]}.0`;
  let last: DeltaBody;
  do {
    last = DeltaBody.parse(await (await fetch(`${server.url}/v1/sync/changes?since=${since}&limit=5000`)).json());
    for (const row of last.rows) rows.set(row[0], row);
    for (const key of last.removed) rows.delete(key);
    since = last.version;
  } while (last.more);
  server.child.kill('SIGTERM');
  await server.exited;

  const stored = await storedReviews(db);
  return { writes, stored, snapshot, delta: { rows: [...rows.values()], checksum: last.checksum, version: last.version }, inFlightFailures };
}

/** review id → requester of every review row, read straight from the database. */
async function storedReviews(db: TestDatabase): Promise<Map<string, { requester: string; status: string }>> {
  const out = new Map<string, { requester: string; status: string }>();
  const sql = 'SELECT id, requester_key, status FROM reviews WHERE deleted_at IS NULL';
  if (db.backend === 'sqlite') {
    const sqlite = new Database(db.database, { readonly: true });
    try {
      for (const r of sqlite.prepare(sql).all() as { id: string; requester_key: string; status: string }[]) out.set(r.id, { requester: r.requester_key, status: r.status });
    } finally {
      sqlite.close();
    }
  } else {
    const client = new pg.Client({ connectionString: db.database, options: `-c search_path=${db.options.schema}` });
    await client.connect();
    try {
      for (const r of (await client.query<{ id: string; requester_key: string; status: string }>(sql)).rows) out.set(r.id, { requester: r.requester_key, status: r.status });
    } finally {
      await client.end();
    }
  }
  return out;
}

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
});

describe.each(testBackends())('durability under SIGKILL ($backend)', ({ backend, skip }) => {
  it.skipIf(skip)(`loses and duplicates no acknowledged write across ${KILLS} kills, and the feed stays consistent`, async () => {
    const db = await createTestDatabase(backend);
    databases.push(db);
    const { writes, stored, snapshot, delta, inFlightFailures } = await runScenario(db);

    // Every logical write was acknowledged in the end, each exactly once per attempt that got through.
    expect(writes.every((w) => w.ackedIds.length >= 1)).toBe(true);
    // Replays answer with the first id: one logical write is one review, however often retried.
    for (const w of writes) expect(new Set(w.ackedIds).size, w.idempotencyKey).toBe(1);
    const ackedIds = new Set(writes.map((w) => w.ackedIds[0]!));
    expect(ackedIds.size).toBe(writes.length);
    // No acknowledged write lost, and nothing stored that no client asked for.
    const missing = [...ackedIds].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect(stored.size).toBe(writes.length);

    // The feed: delta rows' checksum = the server's checksum = the snapshot's.
    expect(delta.checksum).toEqual(checksumOf(delta.rows));
    expect(snapshot.checksum).toEqual(checksumOf(snapshot.rows));
    if (snapshot.version === delta.version) expect(snapshot.checksum).toEqual(delta.checksum);
    // The summaries count exactly the stored reviews (visible ones in the aggregate, held apart).
    const counted = new Map<string, number>();
    for (const row of delta.rows) {
      const summary = decodeSummary(row, DEFAULT_RULES);
      counted.set(summary.key, summary.allTime.reviews + summary.held);
    }
    const expected = new Map<string, number>();
    for (const r of stored.values()) if (r.status !== 'hidden') expected.set(r.requester, (expected.get(r.requester) ?? 0) + 1);
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(expected));

    const retried = writes.filter((w) => w.attempts > 1).length;
    console.log(
      `[durability ${backend}] ${KILLS} SIGKILLs; ${writes.length} logical writes by ${CLIENTS} clients, all acknowledged, ${stored.size} rows; ` +
        `${inFlightFailures} attempts failed in flight, ${retried} writes retried (${writes.filter((w) => w.replayed).length} of them committed before the kill and answered by a replay); ` +
        `lost 0, duplicated 0; checksum ${delta.checksum?.rows} rows / ${delta.checksum?.sum}`,
    );
  }, 180_000);
});
