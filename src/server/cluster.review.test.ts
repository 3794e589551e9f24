/**
 * Review findings on the multi-process server (issue 14), each on real parts:
 * - the listen connection cut silently (no reset: a frozen TCP proxy) is noticed by the
 *   heartbeat, so the bus polls, reconnects and resyncs instead of believing it listens;
 * - a timed job whose run fails is tried again in the same period (its claim is released);
 * - a leader deposed mid-recompute is told to stop (`shouldContinue`), on a real lock;
 * - a process that hears only `recomputed` (its `rules` notice lost) still reloads the rules.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { JobScheduler } from './cluster/jobs.js';
import { alwaysLeader, postgresLeadership } from './cluster/leader.js';
import { channelFor, postgresBus, type ClusterEvent } from './cluster/notify.js';
import { DEFAULT_RULES } from '../core/rules.js';
import { startServer } from './index.js';
import { createTestDatabase } from './testing/databases.js';
import { openStorage } from './storage/sql-storage.js';
import { testBackends } from './testing/databases.js';

const PG_URL = process.env.LANTERN_PG_URL;
const skipPg = testBackends().find((b) => b.backend === 'postgres')!.skip;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const freshSchema = () => `cluster_review_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

const waitUntil = async (what: string, check: () => boolean | Promise<boolean>, capMs = 30_000) => {
  const end = Date.now() + capMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const frozen: Socket[] = [];

/** A TCP proxy to PostgreSQL whose open connections can be frozen: bytes stop, nothing is closed (a silent cut). */
async function freezingProxy(target: URL): Promise<{ port: number; freeze(): void; close(): Promise<void> }> {
  const pairs: [Socket, Socket][] = [];
  const server: Server = createServer((inbound) => {
    const outbound = connect(Number(target.port || 5432), target.hostname);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    const drop = () => (inbound.destroy(), outbound.destroy());
    inbound.on('error', drop);
    outbound.on('error', drop);
    pairs.push([inbound, outbound]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    freeze() {
      for (const [inbound, outbound] of pairs.splice(0)) {
        inbound.unpipe(outbound);
        outbound.unpipe(inbound);
        inbound.pause();
        outbound.pause();
        frozen.push(inbound, outbound);
      }
    },
    async close() {
      for (const socket of [...frozen, ...pairs.flat()]) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.skipIf(skipPg)('listen connection cut silently', () => {
  it('the heartbeat notices: the bus stops claiming to listen, polls, reconnects and resyncs', async () => {
    const target = new URL(PG_URL!);
    const proxy = await freezingProxy(target);
    const viaProxy = new URL(PG_URL!);
    viaProxy.port = String(proxy.port);
    viaProxy.searchParams.set('schema', freshSchema());
    const bus = postgresBus(viaProxy.toString(), {
      rulesState: async () => ({ version: 1, recomputing: false }),
      pollMs: 50,
      reconnectMs: 200,
      heartbeatMs: 1_000,
      log: silent,
    });
    const events: ClusterEvent[] = [];
    bus.onEvent((e) => events.push(e));
    try {
      await waitUntil('listening', () => bus.listening());
      proxy.freeze();
      // Without a heartbeat the socket stays open and `listening()` true for as long as TCP keepalive takes (minutes).
      await waitUntil('the cut noticed', () => !bus.listening());
      await waitUntil('listening again, with a resync', () => bus.listening() && events.some((e) => e.kind === 'resync'));
    } finally {
      await bus.close();
      await proxy.close();
    }
  }, 60_000);
});

describe('timed job that fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-jobs-retry-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is tried again in the same period, and its period then counts as run once', async () => {
    const storage = await openStorage(join(dir, 'db', 'lantern.sqlite'));
    const now = () => 1_000_000; // one period throughout
    let calls = 0;
    const jobs = new JobScheduler({ leadership: alwaysLeader(), claims: storage, runner: 'r1', now, log: silent });
    jobs.every('flaky', 400, async () => {
      calls += 1;
      if (calls === 1) throw new Error('database hiccup');
      return { done: true };
    });
    await waitUntil('a second try', () => calls >= 2);
    await jobs.stop();
    // Once it succeeded, the period is claimed (and finished): no third run.
    expect(await storage.claimJobRun('flaky', Math.floor(now() / 400), 'r2', now())).toBe(false);
    expect(calls).toBe(2);
    await storage.close();
  }, 60_000);
});

describe.skipIf(skipPg)('deposed leader', () => {
  it('is told to stop its long run between batches', async () => {
    const schema = freshSchema();
    const url = `${PG_URL}${PG_URL?.includes('?') ? '&' : '?'}schema=${schema}`;
    const leadership = postgresLeadership(url, { retryMs: 100, log: silent });
    const dir = mkdtempSync(join(tmpdir(), 'lantern-deposed-'));
    const storage = await openStorage(join(dir, 'db', 'lantern.sqlite'));
    const jobs = new JobScheduler({ leadership, claims: storage, runner: 'r1', now: Date.now, log: silent });
    try {
      await waitUntil('leader', () => leadership.isLeader());
      expect(jobs.shouldContinue).toBe(true);
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`lantern-leader:${schema}`]);
      await admin.end();
      await waitUntil('deposed', () => !leadership.isLeader());
      expect(jobs.shouldContinue).toBe(false);
    } finally {
      await jobs.stop();
      await leadership.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(skipPg)('a recomputed notice alone', () => {
  it('makes the process reload the rules it missed', async () => {
    const db = await createTestDatabase('postgres');
    const schema = db.options.schema!;
    const url = `${PG_URL}${PG_URL?.includes('?') ? '&' : '?'}schema=${schema}`;
    const server = await startServer({ database: url, port: 0, logLevel: 'silent', rateLimits: false });
    const other = await openStorage(db.database, db.options);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const rulesVersion = async () => ((await (await fetch(`${server.url}/v1/rules`)).json()) as { version: number }).version;
      expect(await rulesVersion()).toBe(1);
      // Another process publishes without a notice (as if its NOTIFY was lost); then the leader's `recomputed` arrives.
      const { version: _v, ...rest } = DEFAULT_RULES;
      await other.moderation.publishRules({ accountId: 'x', pseudonym: 'mod-test', role: 'moderator' }, rest, 'v2', Date.now());
      await admin.query('SELECT pg_notify($1, $2)', [channelFor(schema), JSON.stringify({ kind: 'recomputed', version: 2 })]);
      await waitUntil('the rules reloaded', async () => (await rulesVersion()) === 2, 15_000);
    } finally {
      await admin.end();
      await other.close();
      await server.close();
      await db.drop();
    }
  }, 60_000);
});
