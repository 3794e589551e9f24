/**
 * The sync engine when the server fails it, on fake-indexeddb against the real server
 * (in-process, SQLite) behind a relay that can cut the line or answer in the server's
 * place (server/testing/sync-relay.ts): a server down, a 500, a body that is not JSON or
 * not the sync format leaves the replica exactly as it was, says why, backs off, and the
 * next sync repairs it; a delta that doesn't add up to its checksum, or a version the
 * server no longer knows, leads to a fresh snapshot (never a replica half one, half the
 * other); a snapshot older than the server's head is caught up in the same sync. The
 * ordinary path is sync.test.ts's. The browser APIs the engine calls are faked in memory (fake-browser.testing.ts).
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fnv1a32 } from '../core/hash.js';
import type { RequesterKey } from '../core/requester-key.js';
import { parseVersionToken } from '../core/sync-protocol.js';
import { startTestServer, type TestServer } from '../server/testing/harness.js';
import { requesterKeyFor, reviewOnServer, snapshotOnServer, SyncRelay, type RelayAnswer } from '../server/testing/sync-relay.js';

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

/** The background's modules as a fresh service worker loads them (IndexedDB and storage kept). */
async function worker() {
  vi.resetModules();
  fake.listeners.length = 0; // a restarted worker's listeners are its own
  return { ...(await import('./db.js')), ...(await import('./settings.js')), ...(await import('./replica.js')), ...(await import('./sync.js')) };
}
type Worker = Awaited<ReturnType<typeof worker>>;

/** Everything the replica holds that a sync could change: every server requester's row, the record's version and checksum. */
async function replicaState(w: Worker) {
  const keys = [...(await snapshotOnServer(server)).rows.keys()] as RequesterKey[];
  const { version, checksum, active } = await w.readMeta();
  return { rows: await w.getRowTexts(keys), version, checksum, stored: await (await w.db()).getAll(active) };
}

async function replicaMatchesServer(w: Worker): Promise<void> {
  const expected = await snapshotOnServer(server);
  expect(await w.getRowTexts([...expected.rows.keys()] as RequesterKey[])).toEqual(expected.rows);
  expect(await w.countRows()).toBe(expected.rows.size);
  expect(await w.readMeta()).toMatchObject({ version: expected.version, checksum: expected.checksum, lastError: null, failures: 0 });
}

/** A sync body with every row's requester name changed: well formed, but not what the checksum counts. */
function forged(answer: RelayAnswer): RelayAnswer {
  const body = JSON.parse(answer.body) as { rows: unknown[][] };
  for (const row of body.rows) row[1] = 'Forged name';
  return { status: answer.status, body: JSON.stringify(body) };
}

const SNAPSHOT = 'GET /v1/sync/snapshot';
const CHANGES = 'GET /v1/sync/changes';

beforeEach(async () => {
  relay.reset();
  fake.storage.clear();
  fake.alarms.clear();
  const { deleteDatabase, updateSettings } = await worker();
  await deleteDatabase();
  await updateSettings({ serverUrl: relayUrl });
});

describe('sync against a failing server', () => {
  it('changes nothing when the server is down, fails or answers garbage; says why, backs off, and the next sync repairs', async () => {
    await reviewOnServer(server, requesterKeyFor('FAIL', 1));
    const w = await worker();
    await w.syncNow();
    await reviewOnServer(server, requesterKeyFor('FAIL', 2)); // the server moves on meanwhile
    const before = await replicaState(w);

    const failures: [string, () => void, RegExp][] = [
      ['down', () => void (relay.down = true), /could not be reached/],
      ['a 500', () => void (relay.rewrite = async () => ({ status: 500, body: 'Internal Server Error' })), /answered 500/],
      ['not JSON', () => void (relay.rewrite = async () => ({ status: 200, body: '{"rows": "lol"' })), /can't read .*not JSON/],
      ['not the sync format', () => void (relay.rewrite = async (_path, upstream) => ({ status: 200, body: (await upstream()).body.replace(/"version":"[^"]*"/, '"version":"x"') })), /can't read \(version/],
      ['an answer for another version', () => void (relay.rewrite = async (_path, upstream) => ({ status: 200, body: (await upstream()).body.replace(/"since":"[^"]*"/, '"since":"other0.1"') })), /another version/],
    ];
    for (const [i, [what, breakIt, says]] of failures.entries()) {
      relay.reset();
      breakIt();
      const started = Date.now();
      await w.syncNow();
      const meta = await w.readMeta();
      expect(meta.lastError, what).toMatch(says);
      expect(meta.failures, what).toBe(i + 1);
      expect(await w.syncStatus(), what).toMatchObject({ state: 'error', lastError: meta.lastError });
      // Backoff: 30 s doubling with each failure, jittered below, never above.
      const wait = 30_000 * 2 ** i;
      expect(meta.nextSyncAt, what).toBeGreaterThanOrEqual(started + wait * 0.8);
      expect(meta.nextSyncAt, what).toBeLessThanOrEqual(Date.now() + wait);
      expect(fake.alarms.get(w.SYNC_ALARM)?.scheduledTime, what).toBe(meta.nextSyncAt);
      expect(await replicaState(w), what).toEqual(before);
      // None of these is a reason to start over from a snapshot.
      expect(relay.requests(SNAPSHOT), what).toEqual([]);
    }

    relay.reset();
    await w.syncNow();
    expect(relay.requests(SNAPSHOT)).toEqual([]);
    await replicaMatchesServer(w);
    expect((await w.syncStatus()).state).toBe('idle');
  });

  it('leaves no replica when the first snapshot fails, and takes it whole at the next sync', async () => {
    await reviewOnServer(server, requesterKeyFor('FIRSTFAIL', 1));
    const w = await worker();
    relay.rewrite = async (path, upstream) => (path === '/v1/sync/snapshot' ? forged(await upstream()) : null);
    await w.syncNow();
    expect(await w.readMeta()).toMatchObject({ version: null, checksum: { rows: 0, sum: 0 }, failures: 1, snapshotProgress: null });
    expect((await w.readMeta()).lastError).toMatch(/checksum mismatch/);
    expect(await w.countRows()).toBe(0);

    relay.reset();
    await w.syncNow();
    expect(relay.requests(SNAPSHOT)).toHaveLength(1);
    await replicaMatchesServer(w);
  });

  it("takes a fresh snapshot when a delta doesn't add up to its checksum, and changes nothing when the snapshot doesn't either", async () => {
    await reviewOnServer(server, requesterKeyFor('FORGED', 1));
    const w = await worker();
    await w.syncNow();
    await reviewOnServer(server, requesterKeyFor('FORGED', 2));
    await reviewOnServer(server, requesterKeyFor('FORGED', 1));
    const before = await replicaState(w);

    // Delta and snapshot both forged: the replica in force stays, whole.
    relay.reset();
    relay.rewrite = async (path, upstream) => forged(await upstream());
    await w.syncNow();
    expect((await w.readMeta()).lastError).toMatch(/checksum mismatch/);
    expect(relay.requests(SNAPSHOT)).toHaveLength(1);
    expect(await replicaState(w)).toEqual(before);

    // Only the delta forged: the snapshot replaces the replica, and its own catch-up delta
    // (with nothing in it, so its checksum only confirms) completes it.
    relay.reset();
    let forgedOnce = false;
    relay.rewrite = async (path, upstream) => {
      if (!path.startsWith('/v1/sync/changes') || forgedOnce) return null;
      forgedOnce = true;
      return forged(await upstream());
    };
    await w.syncNow();
    expect(relay.seen.map((line) => line.split('?')[0])).toEqual([CHANGES, SNAPSHOT, CHANGES]);
    await replicaMatchesServer(w);
  });

  it.each([
    ['from another database (the server was replaced)', (token: { epoch: string; seq: number }) => `replaced.${token.seq}`],
    ['ahead of the server (restored from a backup)', (token: { epoch: string; seq: number }) => `${token.epoch}.${token.seq + 1000}`],
  ])('takes a fresh snapshot when the server no longer knows the replica’s version: %s', async (_what, unknownTo) => {
    await reviewOnServer(server, requesterKeyFor('UNKNOWN', 1));
    const w = await worker();
    await w.syncNow();
    // The replica holds a requester this server never had, under a version it doesn't know.
    const known = requesterKeyFor('UNKNOWN', 1) as RequesterKey;
    const stray = requesterKeyFor('STRAY', 1) as RequesterKey;
    const knownText = (await w.getRowTexts([known])).get(known)!;
    await w.applyChangedTexts([knownText.replace(known, stray) as typeof knownText], [], null, {});
    expect((await w.getRowTexts([stray])).size).toBe(1);
    const token = parseVersionToken((await w.readMeta()).version!)!;
    await w.patchMeta({ version: unknownTo(token) });

    relay.reset();
    await w.syncNow();
    expect(relay.seen.map((line) => line.split('?')[0])).toEqual([CHANGES, SNAPSHOT, CHANGES]);
    await replicaMatchesServer(w);
    expect(await w.getRowTexts([stray])).toEqual(new Map());
  });

  it('starts a first snapshot cut off halfway again without mixing in what the cut-off one wrote', async () => {
    await reviewOnServer(server, requesterKeyFor('CUTOFF', 1));
    const known = requesterKeyFor('CUTOFF', 1) as RequesterKey;
    const stray = requesterKeyFor('CUTOFF', 9) as RequesterKey;
    const text = (await snapshotOnServer(server)).rows.get(known)!.replace(known, stray);
    // What a worker stopped in the middle of writing its first snapshot leaves: buckets in
    // the store not yet in use, and the progress, but no version.
    const w = await worker();
    const { active } = await w.readMeta();
    await (await w.db()).put(active === 'rowsA' ? 'rowsB' : 'rowsA', { bucket: w.bucketOf(stray), keys: [stray], texts: text, digests: [fnv1a32(text)] });
    await w.patchMeta({ snapshotProgress: { done: 1, total: 2 } });

    await w.syncNow();
    expect(relay.requests(SNAPSHOT)).toHaveLength(1);
    const restarted = await worker(); // reads the stored replica, not what the sync kept in memory
    await replicaMatchesServer(restarted);
    expect(await restarted.getRowTexts([stray])).toEqual(new Map());
    expect((await restarted.readMeta()).snapshotProgress).toBeNull();
  });

  it("catches up a snapshot older than the server's head with the delta taken with it", async () => {
    await reviewOnServer(server, requesterKeyFor('STALE', 1));
    const stale = await snapshotOnServer(server);
    await reviewOnServer(server, requesterKeyFor('STALE', 2));
    await reviewOnServer(server, requesterKeyFor('STALE', 1));
    // A cache between the worker and the server still holds the older snapshot.
    relay.rewrite = async (path) => (path === '/v1/sync/snapshot' ? { status: 200, body: stale.text } : null);
    const w = await worker();
    await w.syncNow();
    expect(relay.seen).toEqual([SNAPSHOT, `${CHANGES}?since=${encodeURIComponent(stale.version)}`]);
    await replicaMatchesServer(w);
  });
});
