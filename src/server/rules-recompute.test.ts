/**
 * A rules change published while the leader is in the middle of a recompute batch (issue 14
 * review): the batch must neither delete nor rewind the new version's cursor, and the new
 * version's recompute must then run, under the new rules, to the end. Real PostgreSQL, two
 * storages on one schema (the leader, and another process publishing). The interleaving is
 * made deterministic by a row lock the test holds on one requester: the batch waits on it.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../core/rules.js';
import { KEY_A, KEY_B, KEY_P, T0, ctx, makeAccount, summaryOf } from './testing/builders.js';
import { createTestDatabase, testBackends, type TestDatabase } from './testing/databases.js';
import { openStorage } from './storage/sql-storage.js';
import type { Storage } from './storage/storage.js';
import type { Moderator } from './storage/moderation-queues.js';

const MOD: Moderator = { accountId: 'x', pseudonym: 'mod-test', role: 'moderator' };
const skipPg = testBackends().find((b) => b.backend === 'postgres')!.skip;
const { version: _v, ...BASE } = DEFAULT_RULES;
const establishedAfter = (days: number) => ({ ...BASE, danger: { ...BASE.danger, establishedAfterDays: days } });

const waitUntil = async (what: string, check: () => Promise<boolean>, capMs = 30_000) => {
  const end = Date.now() + capMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.skipIf(skipPg)('rules recompute on PostgreSQL', () => {
  let db: TestDatabase;
  let leader: Storage;
  let other: Storage;
  let holder: pg.Client;
  let watcher: pg.Client;

  beforeEach(async () => {
    db = await createTestDatabase('postgres');
    leader = await openStorage(db.database, { ...db.options, now: () => T0 });
    other = await openStorage(db.database, { ...db.options, now: () => T0 });
    holder = new pg.Client({ connectionString: process.env.LANTERN_PG_URL });
    await holder.connect();
    watcher = new pg.Client({ connectionString: process.env.LANTERN_PG_URL });
    await watcher.connect();
  });
  afterEach(async () => {
    await holder.end().catch(() => undefined);
    await watcher.end().catch(() => undefined);
    await leader.close();
    await other.close();
    await db.drop();
  });

  it('a publish during a batch restarts the walk under the new version; the batch neither deletes nor rewinds its cursor', async () => {
    const schema = db.options.schema!;
    // A 3-day-old author: counts under "established after 1 day", not under 7 (v1) or 30 (v2).
    const author = await makeAccount(leader, T0, 3);
    for (const [key, name] of [[KEY_A, 'A'], [KEY_B, 'B'], [KEY_P, 'P']] as const) {
      await leader.reportSuspension(ctx(author, T0), { requester: key, requesterName: name, tasks: [], suspendedOn: '2026-05-30', reinstated: false, note: '' });
    }
    expect(await leader.moderation.publishRules(MOD, establishedAfter(30), 'v2', T0)).toEqual({ version: 2 });

    // The test holds the first requester's row: the leader's batch (all three keys: its last) waits on it.
    await holder.query('BEGIN');
    await holder.query(`SELECT key FROM ${schema}.requesters WHERE key = $1 FOR UPDATE`, [KEY_A]);
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const batch = leader.moderation.recomputeForRules(T0, 10);
    const blockedBy = async (pid: number) =>
      (await watcher.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid])).rows.map((r) => Number(r.pid));
    await waitUntil('the batch waiting on the held row', async () => (await blockedBy(holderPid)).length === 1);
    const [batchPid] = await blockedBy(holderPid);

    // Another process publishes v3 meanwhile: it either completes, or waits for the batch (which holds the cursor).
    let publishedV3 = false;
    const publish = other.moderation.publishRules(MOD, establishedAfter(1), 'v3', T0).then((r) => ((publishedV3 = true), r));
    await waitUntil('the publish done or waiting for the batch', async () => publishedV3 || (await blockedBy(batchPid!)).length === 1);
    await holder.query('COMMIT');
    await batch;
    expect(await publish).toEqual({ version: 3 });

    // v3's recompute is still to do (the batch must not have deleted its cursor) …
    expect(await leader.rulesState()).toEqual({ version: 3, recomputing: true });
    // … and the leader's walk, carried on, computes every requester under v3 (not v2, which it still held).
    for (let more = true; more; ) more = (await leader.moderation.recomputeForRules(T0, 2)).more;
    expect(await leader.rulesState()).toEqual({ version: 3, recomputing: false });
    for (const key of [KEY_A, KEY_B, KEY_P]) expect((await summaryOf(leader, key))?.suspensions.accounts).toBe(1);
    expect(leader.rules().version).toBe(3);
  });

  it('a write computes with rules another process published before its notice arrives, and adopts them', async () => {
    // A 3-day-old author: not established under v1 (7 days), established under v2 (1 day).
    const author = await makeAccount(leader, T0, 3);
    expect(await other.moderation.publishRules(MOD, establishedAfter(1), 'v2', T0)).toEqual({ version: 2 });
    expect(leader.rules().version).toBe(1); // no notice reached it (no bus in this test)
    await leader.reportSuspension(ctx(author, T0), { requester: KEY_A, requesterName: 'A', tasks: [], suspendedOn: '2026-05-30', reinstated: false, note: '' });
    expect((await summaryOf(leader, KEY_A))?.suspensions.accounts).toBe(1);
    expect(leader.rules().version).toBe(2);
  });
});
