/**
 * The cluster's parts one by one, on real PostgreSQL (and a real SQLite file for the job
 * claims): the leader lock and its failover, the notification bus and its fallback when
 * the listen connection is cut, two would-be leaders running one period once, and the
 * snapshot's If-None-Match matching. (cluster.test.ts runs them together in three processes.)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { JobScheduler } from './cluster/jobs.js';
import { alwaysLeader, postgresLeadership, type Leadership } from './cluster/leader.js';
import { postgresBus, type ChangeBus, type ClusterEvent } from './cluster/notify.js';
import { openStorage } from './storage/sql-storage.js';
import { matchingEtag } from './sync/snapshot-cache.js';
import { testBackends } from './testing/databases.js';

const PG_URL = process.env.LANTERN_PG_URL;
const skipPg = testBackends().find((b) => b.backend === 'postgres')!.skip;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

const waitUntil = async (what: string, check: () => boolean | Promise<boolean>, capMs = 15_000) => {
  const end = Date.now() + capMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A schema name only (the lock and the channel are named after it; no tables are needed). */
const urlFor = (schema: string) => `${PG_URL}${PG_URL?.includes('?') ? '&' : '?'}schema=${schema}`;
const freshSchema = () => `cluster_parts_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(skipPg)('leader lock on PostgreSQL', () => {
  const opened: Leadership[] = [];
  afterAll(() => Promise.all(opened.map((l) => l.close())));
  const lead = (schema: string) => {
    const l = postgresLeadership(urlFor(schema), { retryMs: 100, log: silent });
    opened.push(l);
    return l;
  };

  it('one leader per schema; when its connection dies another takes over, and a closed leader hands over', async () => {
    const schema = freshSchema();
    const a = lead(schema);
    await waitUntil('a leader', () => a.isLeader());
    const b = lead(schema);
    const c = lead(schema);
    const other = lead(freshSchema());
    await waitUntil('the other schema has its own leader', () => other.isLeader());
    // b and c have tried several times by now and must still be followers.
    await new Promise((r) => setTimeout(r, 400));
    expect([a.isLeader(), b.isLeader(), c.isLeader()]).toEqual([true, false, false]);

    // The leader's connection is killed (as when its machine dies): it steps down, one other takes over.
    const lost: boolean[] = [];
    a.onChange((leader) => lost.push(leader));
    await admin((client) =>
      client.query(
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND s.application_name = $1`,
        [`lantern-leader:${schema}`],
      ),
    );
    await waitUntil('a successor', () => [a, b, c].filter((l) => l.isLeader()).length === 1 && !a.isLeader());
    expect(lost[0]).toBe(false);
    const successor = b.isLeader() ? b : c;
    const follower = successor === b ? c : b;
    await successor.close();
    await waitUntil('the next successor', () => follower.isLeader() || a.isLeader());
    expect([a, follower].filter((l) => l.isLeader())).toHaveLength(1);
  });
});

describe.skipIf(skipPg)('change bus on PostgreSQL', () => {
  const opened: ChangeBus[] = [];
  afterAll(() => Promise.all(opened.map((b) => b.close())));

  it('reaches every process on the schema (the sender too), not other schemas; polls and resyncs when the listen connection is cut', async () => {
    const schema = freshSchema();
    let rulesVersion = 1;
    const rulesState = async () => ({ version: rulesVersion, recomputing: false });
    const open = (s: string) => {
      const bus = postgresBus(urlFor(s), { rulesState, pollMs: 50, reconnectMs: 1_000, log: silent });
      const events: ClusterEvent[] = [];
      bus.onEvent((e) => events.push(e));
      opened.push(bus);
      return { bus, events };
    };
    const a = open(schema);
    const b = open(schema);
    const elsewhere = open(freshSchema());
    await waitUntil('listening', () => a.bus.listening() && b.bus.listening() && elsewhere.bus.listening());

    await a.bus.publish({ kind: 'rules', version: 2 });
    await waitUntil('both heard it', () => a.events.length === 1 && b.events.length === 1);
    expect(b.events).toEqual([{ kind: 'rules', version: 2 }]);
    expect(a.events).toEqual([{ kind: 'rules', version: 2 }]);
    await a.bus.publish({ kind: 'recomputed', version: 2 });
    await waitUntil('both heard the recompute', () => b.events.length === 2);
    expect(elsewhere.events).toEqual([]);

    // Every listen connection of the schema cut: notifications sent now would be lost, so each polls.
    await admin((client) => client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`lantern-listen:${schema}`]));
    await waitUntil('polling', () => !a.bus.listening() && !b.bus.listening());
    const before = b.events.length;
    rulesVersion = 3; // another process published while nobody listened
    await waitUntil('the poll noticed', () => b.events.slice(before).some((e) => e.kind === 'resync'));
    // Publishing without a listen connection still reaches the sender itself.
    const mine = a.events.length;
    await a.bus.publish({ kind: 'rules', version: 3 });
    expect(a.events.slice(mine)).toContainEqual({ kind: 'rules', version: 3 });
    await waitUntil('listening again', () => a.bus.listening() && b.bus.listening());
    const again = b.events.length;
    await a.bus.publish({ kind: 'rules', version: 4 });
    await waitUntil('heard by NOTIFY again', () => b.events.slice(again).some((e) => e.kind === 'rules' && e.version === 4));
  });
});

describe('job claims', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-jobs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('two processes that both believe they lead run each period once', async () => {
    const storage = await openStorage(join(dir, 'db', 'lantern.sqlite'));
    let clock = 1_000_000;
    const now = () => clock;
    const runs: string[] = [];
    const schedulers = ['one', 'two'].map((runner) => {
      const jobs = new JobScheduler({ leadership: alwaysLeader(), claims: storage, runner, now, log: silent });
      jobs.every('tick', 200, async () => void runs.push(`${runner}@${Math.floor(clock / 200)}`));
      return jobs;
    });
    // Five periods pass; both schedulers look at each at least once.
    for (let step = 0; step < 25; step++) {
      clock += 50;
      await new Promise((r) => setTimeout(r, 60));
    }
    await Promise.all(schedulers.map((s) => s.stop()));
    const slots = runs.map((r) => r.split('@')[1]);
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots.length).toBeGreaterThanOrEqual(3);
    await storage.close();
  });
});

describe('snapshot If-None-Match', () => {
  const snapshot = { etag: '"e.5.r2.abc"', gzipEtag: '"e.5.r2.xyz-gzip"' };
  it('matches either representation, weakly, in a list, or *; nothing else', () => {
    expect(matchingEtag('"e.5.r2.abc"', snapshot)).toBe('"e.5.r2.abc"');
    expect(matchingEtag('W/"e.5.r2.xyz-gzip"', snapshot)).toBe('"e.5.r2.xyz-gzip"');
    expect(matchingEtag('"old", "e.5.r2.xyz-gzip"', snapshot)).toBe('"e.5.r2.xyz-gzip"');
    expect(matchingEtag('*', snapshot)).toBe('"e.5.r2.abc"');
    expect(matchingEtag('"e.5.r1.abc"', snapshot)).toBeNull();
    expect(matchingEtag(undefined, snapshot)).toBeNull();
  });
});
