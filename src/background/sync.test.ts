/**
 * The sync engine on fake-indexeddb against the real server (in-process, SQLite), reached
 * through a relay that records every request (server/testing/sync-relay.ts): the first
 * sync takes the snapshot and holds every requester the server has; later reviews arrive
 * as deltas, never a second snapshot, and the badge index mends just them; an idle poll
 * writes no row; one sync runs at a time; a restarted worker keeps its replica and goes on
 * with a delta; a badge-index mending cut off by a stopped worker is taken up at the next
 * start. Failures and fresh snapshots: sync-recovery.test.ts. The browser APIs the engine
 * calls are faked in memory (fake-browser.testing.ts).
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BADGE_INDEX_META_KEY, Shard, shardKey, shardOf, StoredBadgeIndexMeta } from '../core/badge-index.js';
import { fnv1a32 } from '../core/hash.js';
import type { RequesterKey } from '../core/requester-key.js';
import { readSummaryText } from '../core/summary-text.js';
import { startTestServer, type TestServer } from '../server/testing/harness.js';
import { requesterKeyFor, reviewOnServer, snapshotOnServer, SyncRelay } from '../server/testing/sync-relay.js';

// Imported inside vi.hoisted: the mock below is set up before any import runs.
const fake = await vi.hoisted(async () => (await import('./fake-browser.testing.js')).fakeBrowser());
vi.mock('webextension-polyfill', () => ({ default: fake.browser }));

let server: TestServer;
let relay: SyncRelay;
let relayUrl: string;

beforeAll(async () => {
  server = await startTestServer('sqlite');
  relay = new SyncRelay(server.url);
  relayUrl = await relay.open();
}, 60_000); // a server start with its migrations, on a loaded machine
afterAll(async () => {
  await relay?.close();
  await server?.close();
});

/**
 * The background's modules as a fresh service worker loads them: IndexedDB and extension
 * storage kept, everything in memory (caches, listeners, a sync running) gone.
 */
async function worker() {
  vi.resetModules();
  fake.listeners.length = 0;
  return {
    ...(await import('./db.js')),
    ...(await import('./settings.js')),
    ...(await import('./replica.js')),
    ...(await import('./index-debt.js')),
    ...(await import('./badge-index.js')),
    ...(await import('./sync.js')),
  };
}
type Worker = Awaited<ReturnType<typeof worker>>;

/** The replica's rows for every requester the server has (each test adds its own). */
async function replicaMatchesServer(w: Worker): Promise<void> {
  const expected = await snapshotOnServer(server);
  const keys = [...expected.rows.keys()] as RequesterKey[];
  expect(await w.getRowTexts(keys)).toEqual(expected.rows);
  expect(await w.countRows()).toBe(expected.rows.size);
  const meta = await w.readMeta();
  expect(meta.version).toBe(expected.version);
  expect(meta.checksum).toEqual(expected.checksum);
}

/** Resolves once every replica write's badge-index mending is stored (index-debt.ts). */
async function indexSettled(w: Worker): Promise<void> {
  await vi.waitFor(async () => expect(await w.owedReplicaWrite()).toBeNull(), { timeout: 15_000 });
  await w.updateBadgeIndex([]); // and nothing further pending
}

/** Whether the badge index in storage has an entry for `key`, as a tab reads it. */
function inIndex(key: string): boolean {
  const hash = fnv1a32(key);
  const text = fake.storage.get(shardKey(shardOf(hash)));
  return typeof text === 'string' && typeof Shard.decode(text, shardOf(hash)).entry(hash)?.brief === 'number';
}
const indexMeta = () => StoredBadgeIndexMeta.parse(fake.storage.get(BADGE_INDEX_META_KEY));

const changesSince = (version: string) => `GET /v1/sync/changes?since=${encodeURIComponent(version)}`;
const ADVISED_S = 300; // the server's default advice, also the 5-minute bound

beforeEach(async () => {
  relay.reset();
  fake.storage.clear();
  fake.alarms.clear();
  const { deleteDatabase, updateSettings } = await worker();
  await deleteDatabase();
  await updateSettings({ serverUrl: relayUrl });
});

describe('sync', () => {
  it('takes the snapshot first, catches up with a delta, and stores the version; the badge index is built whole', async () => {
    const keys = [1, 2, 3].map((n) => requesterKeyFor('FIRST', n));
    for (const key of keys) await reviewOnServer(server, key);
    const snapshot = await snapshotOnServer(server);
    const w = await worker();
    w.keepBadgeIndex();
    expect((await w.syncStatus()).state).toBe('never');
    const started = Date.now();
    await w.syncNow();

    expect(relay.seen).toEqual(['GET /v1/sync/snapshot', changesSince(snapshot.version)]);
    await replicaMatchesServer(w);
    for (const key of keys) expect(readSummaryText((await w.getRowTexts([key as RequesterKey])).get(key as RequesterKey)!)[0]).toBe(key);
    const meta = await w.readMeta();
    expect(meta).toMatchObject({ lastError: null, failures: 0, snapshotProgress: null });
    expect(meta.lastSyncAt).toBeGreaterThanOrEqual(started);
    // The next poll: at the server's advice, jittered below it, never above.
    const alarm = fake.alarms.get(w.SYNC_ALARM)!.scheduledTime;
    expect(alarm).toBe(meta.nextSyncAt);
    expect(alarm).toBeGreaterThanOrEqual(started + ADVISED_S * 800);
    expect(alarm).toBeLessThanOrEqual(Date.now() + ADVISED_S * 1000);
    expect(await w.syncStatus()).toMatchObject({ state: 'idle', version: snapshot.version, rows: snapshot.rows.size, lastError: null });

    await indexSettled(w);
    expect(w.badgeIndexStatus().last).toMatchObject({ kind: 'full', rows: snapshot.rows.size });
    expect(indexMeta().requesters).toBe(snapshot.rows.size);
    for (const key of keys) expect(inIndex(key)).toBe(true);
  });

  it('brings a later review as a delta, never a second snapshot; the badge index mends just those requesters', async () => {
    const [known, later] = [requesterKeyFor('DELTA', 1), requesterKeyFor('DELTA', 2)];
    await reviewOnServer(server, known);
    const w = await worker();
    w.keepBadgeIndex();
    await w.syncNow();
    await indexSettled(w);
    const before = await w.readMeta();
    const reviewsOf = async (key: string) => readSummaryText((await w.getRowTexts([key as RequesterKey])).get(key as RequesterKey)!)[3];
    const firstCounts = await reviewsOf(known);
    expect(inIndex(later)).toBe(false);

    await reviewOnServer(server, later);
    await reviewOnServer(server, known); // a second review of a requester the replica holds
    relay.reset();
    await w.syncNow();
    expect(relay.seen).toEqual([changesSince(before.version!)]);
    await replicaMatchesServer(w);
    expect(await reviewsOf(known)).not.toEqual(firstCounts);
    expect((await w.readMeta()).version).not.toBe(before.version);

    await indexSettled(w);
    expect(w.badgeIndexStatus().last).toMatchObject({ kind: 'update', computed: 2, rows: before.checksum.rows + 1 });
    expect(inIndex(later)).toBe(true);
    expect(indexMeta().requesters).toBe(before.checksum.rows + 1);
  });

  it('writes no row on an idle poll: the replica, its write count and the badge index stay as they were', async () => {
    await reviewOnServer(server, requesterKeyFor('IDLE', 1));
    const w = await worker();
    w.keepBadgeIndex();
    await w.syncNow();
    await indexSettled(w);
    const meta = await w.readMeta();
    const database = await w.db();
    const storedRows = await database.getAll(meta.active);
    const debt = await database.get('meta', 'index-debt');
    const badgeIndex = new Map([...fake.storage].filter(([k]) => k.startsWith('badgeIndex')));
    const told: unknown[] = [];
    w.onReplicaWritten((changed) => void told.push(changed));

    relay.reset();
    await w.syncNow();
    expect(relay.seen).toEqual([changesSince(meta.version!)]);
    const after = await w.readMeta();
    expect(after).toMatchObject({ version: meta.version, checksum: meta.checksum, active: meta.active, lastError: null });
    expect(after.lastSyncAt).toBeGreaterThanOrEqual(meta.lastSyncAt!);
    expect(await database.getAll(meta.active)).toEqual(storedRows);
    expect(await database.get('meta', 'index-debt')).toEqual(debt);
    await indexSettled(w);
    expect(told).toEqual([]);
    expect(new Map([...fake.storage].filter(([k]) => k.startsWith('badgeIndex')))).toEqual(badgeIndex);
  });

  it('runs one sync at a time: a second call shares the running one; syncAfterNow follows it with another', async () => {
    await reviewOnServer(server, requesterKeyFor('ONCE', 1));
    const w = await worker();
    // The snapshot is held at the relay until the calls below are made: the sync surely runs.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    relay.rewrite = async (path) => {
      if (path === '/v1/sync/snapshot') await held;
      return null;
    };
    const first = w.syncNow();
    expect(w.syncNow()).toBe(first);
    expect((await w.syncStatus()).state).toBe('syncing');
    const after = w.syncAfterNow();
    release();
    await first;
    expect(relay.requests('GET /v1/sync/snapshot')).toHaveLength(1);
    await after;
    const { version } = await w.readMeta();
    // The snapshot with its catch-up, then one more delta that started after the first sync.
    expect(relay.seen).toEqual(['GET /v1/sync/snapshot', changesSince(version!), changesSince(version!)]);
    expect((await w.syncStatus()).state).toBe('idle');
  });

  it('keeps the replica across a restart of the worker and goes on with a delta', async () => {
    const [known, later] = [requesterKeyFor('RESTART', 1), requesterKeyFor('RESTART', 2)];
    await reviewOnServer(server, known);
    const first = await worker();
    await first.syncNow();
    const { version } = await first.readMeta();
    const held = await first.getRowTexts([known as RequesterKey]);
    await reviewOnServer(server, later);

    relay.reset();
    const restarted = await worker(); // new modules: a new connection to the same IndexedDB
    expect(await restarted.getRowTexts([known as RequesterKey])).toEqual(held);
    expect((await restarted.syncStatus()).state).toBe('idle');
    await restarted.syncNow();
    expect(relay.seen).toEqual([changesSince(version!)]);
    await replicaMatchesServer(restarted);
  });

  it('mends the badge index at the next start when a stopped worker cut its mending off', async () => {
    await reviewOnServer(server, requesterKeyFor('DEBT', 1));
    const first = await worker();
    first.keepBadgeIndex();
    await first.syncNow();
    await indexSettled(first);

    // A worker that stops after the delta is written and before the index is stored: its
    // mending never finishes (here, the listener fails), so the debt stays recorded.
    const later = requesterKeyFor('DEBT', 2);
    await reviewOnServer(server, later);
    const stopped = await worker();
    const cutOff = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const mending = new Promise<void>((resolve) =>
      stopped.onReplicaWritten(() => {
        resolve();
        throw new Error('the worker was stopped');
      }),
    );
    await stopped.syncNow();
    await mending;
    await vi.waitFor(() => expect(cutOff).toHaveBeenCalled(), { timeout: 15_000 }); // the follow-up gave up
    expect(await stopped.owedReplicaWrite()).not.toBeNull();
    expect(inIndex(later)).toBe(false);
    cutOff.mockRestore();

    const next = await worker();
    next.keepBadgeIndex(); // an index is stored: nothing is built at start by itself
    await next.resumeReplicaNotices();
    await indexSettled(next);
    expect(next.badgeIndexStatus().last).toMatchObject({ kind: 'full', rows: (await next.countRows()) });
    expect(inIndex(later)).toBe(true);
  });
});
