/**
 * The replica on fake-indexeddb: a snapshot and deltas applied as row texts land exactly
 * (every row read back, checksum as the server computes it), a mismatch changes nothing,
 * and buckets stored before rows were kept as text are read and rewritten.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { checksumOf, DeltaHead, readSyncBody, SnapshotHead, type EncodedSummary } from '../core/sync-protocol.js';
import { summaryText } from '../core/summary-text.js';
import { db, deleteDatabase, readMeta } from './db.js';
import { applyChangedTexts, batchWriteNotices, bucketOf, ChecksumMismatch, countRows, getRows, onReplicaWritten, replaceAllTexts, warmCache, type ReplicaChange } from './replica.js';
import { requesterKey, row } from './suspect-rows.testing.js';
import { cacheIsWhole, forgetCache } from './replica-cache.js';

const noProgress = async () => undefined;
const texts = (rows: EncodedSummary[]) => rows.map(summaryText);
const keys = (n: number) => Array.from({ length: n }, (_, i) => requesterKey(i));
/** A row with some reviews, so rows differ in more than their key. */
const rated = (n: number, reviews: number): EncodedSummary => [requesterKey(n), `Lab "${n}" \\ é`, 1, [reviews, [reviews * 4, reviews], 0, 0, 0, ['USD', 900 + n, reviews, 0], 0, reviews, 25], [0, null, 0], [0, 1, 0, 0], 0, n % 3];

async function everyRow(count: number): Promise<Map<string, EncodedSummary>> {
  return getRows(keys(count));
}

beforeEach(async () => {
  await deleteDatabase();
});

describe('the replica, written as row texts', () => {
  it('holds exactly the snapshot, with its checksum, and tells listeners it all changed', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? row(i, [['T1', 1, 3, '2026-11-30']]) : rated(i, i + 1)));
    const told: ReplicaChange[] = [];
    onReplicaWritten((changed) => told.push(changed));
    const progress: number[] = [];
    await replaceAllTexts(texts(rows), checksumOf(rows), { version: 'test.1' }, async (done) => void progress.push(done));
    expect([...(await everyRow(300)).values()]).toEqual(expect.arrayContaining(rows));
    expect((await everyRow(300)).size).toBe(300);
    expect(await getRows([requesterKey(5)])).toEqual(new Map([[requesterKey(5), rows[5]]]));
    expect(await countRows()).toBe(300);
    expect((await readMeta()).checksum).toEqual(checksumOf(rows));
    expect(progress.at(-1)).toBe(300);
    expect(told.at(-1)).toBe('all');
  });

  it('refuses a snapshot whose checksum or row count is off (a key twice included), keeping the replica in force', async () => {
    const first = [rated(1, 2), rated(2, 3)];
    await replaceAllTexts(texts(first), checksumOf(first), { version: 'test.1' }, noProgress);
    const next = [rated(1, 9), rated(3, 1)];
    await expect(replaceAllTexts(texts(next), { ...checksumOf(next), sum: (checksumOf(next).sum + 1) >>> 0 }, { version: 'test.2' }, noProgress)).rejects.toThrow(ChecksumMismatch);
    const twice = [rated(1, 9), rated(1, 9)];
    await expect(replaceAllTexts(texts(twice), checksumOf(twice), { version: 'test.2' }, noProgress)).rejects.toThrow(ChecksumMismatch);
    expect(await getRows([requesterKey(1), requesterKey(2), requesterKey(3)])).toEqual(new Map([[requesterKey(1), first[0]], [requesterKey(2), first[1]]]));
    expect((await readMeta()).version).toBe('test.1');
  });

  it('applies a delta exactly: changed, new and removed rows, checksum as the server computes it', async () => {
    const base = Array.from({ length: 200 }, (_, i) => rated(i, 1));
    await replaceAllTexts(texts(base), checksumOf(base), { version: 'test.1' }, noProgress);
    const changed = [rated(3, 5), rated(150, 2), rated(250, 4), rated(3, 6)]; // 3 changed twice: the last wins
    const removed = [requesterKey(7), requesterKey(999)]; // 999 was never there
    const final = new Map(base.map((r) => [r[0], r]));
    for (const r of changed) final.set(r[0], r);
    final.delete(requesterKey(7));
    const told: ReplicaChange[] = [];
    onReplicaWritten((c) => told.push(c));
    await applyChangedTexts(texts(changed), removed, checksumOf(final.values()), { version: 'test.2' });
    const got = await getRows([...keys(260)]);
    expect(got).toEqual(final);
    expect((await readMeta()).checksum).toEqual(checksumOf(final.values()));
    expect((await readMeta()).version).toBe('test.2');
    expect([...(told.at(-1) as string[])].sort()).toEqual([requesterKey(3), requesterKey(150), requesterKey(250), requesterKey(7), requesterKey(999)].sort());
  });

  it('aborts a delta whose checksum mismatches: not one row or the version changes', async () => {
    const base = [rated(1, 1), rated(2, 1)];
    await replaceAllTexts(texts(base), checksumOf(base), { version: 'test.1' }, noProgress);
    await expect(applyChangedTexts(texts([rated(1, 4)]), [requesterKey(2)], { rows: 2, sum: 1 }, { version: 'test.2' })).rejects.toThrow(ChecksumMismatch);
    expect(await getRows([requesterKey(1), requesterKey(2)])).toEqual(new Map(base.map((r) => [r[0], r])));
    expect((await readMeta()).version).toBe('test.1');
    expect((await readMeta()).checksum).toEqual(checksumOf(base));
  });

  it('reads buckets stored as tuples (before rows were kept as text) and rewrites them as text on change', async () => {
    const old = [rated(1, 1), rated(2, 2)];
    await replaceAllTexts([], checksumOf([]), { version: 'test.0' }, noProgress);
    const { active } = await readMeta();
    const database = await db();
    for (const r of old) {
      const bucket = bucketOf(r[0]);
      const record = ((await database.get(active, bucket)) as { bucket: number; rows: Record<string, [EncodedSummary, number]> } | undefined) ?? { bucket, rows: {} };
      record.rows[r[0]] = [r, checksumOf([r]).sum];
      await database.put(active, record as never);
    }
    const tx = database.transaction('meta', 'readwrite');
    await tx.store.put({ ...(await readMeta()), checksum: checksumOf(old) }, 'sync');
    await tx.done;
    forgetCache(); // as after the update that brought text buckets: a new worker, nothing in memory
    expect(await getRows([requesterKey(1), requesterKey(2)])).toEqual(new Map(old.map((r) => [r[0], r])));
    const final = [rated(1, 7), old[1]!];
    await applyChangedTexts(texts([rated(1, 7)]), [], checksumOf(final), { version: 'test.1' });
    expect(await getRows([requesterKey(1), requesterKey(2)])).toEqual(new Map(final.map((r) => [r[0], r])));
    expect(await database.get(active, bucketOf(requesterKey(1)))).toHaveProperty('texts');
  });
});

describe('the replica in memory', () => {
  const base = Array.from({ length: 50 }, (_, i) => rated(i, 1));
  const storedBuckets = async () => (await db()).count((await readMeta()).active);

  it('answers from memory after a snapshot and a delta, without reading IndexedDB', async () => {
    await replaceAllTexts(texts(base), checksumOf(base), { version: 'test.1' }, noProgress);
    await applyChangedTexts(texts([rated(3, 9)]), [requesterKey(4)], null, { version: 'test.2' });
    expect(cacheIsWhole()).toBe(true);
    expect(await storedBuckets()).toBeGreaterThan(0);
    // Were IndexedDB read, a bucket emptied behind the cache's back would show.
    const database = await db();
    await database.delete((await readMeta()).active, bucketOf(requesterKey(3)));
    expect((await getRows([requesterKey(3), requesterKey(4), requesterKey(5)])).get(requesterKey(3))).toEqual(rated(3, 9));
    expect((await getRows([requesterKey(4)])).size).toBe(0);
  });

  it('starts cold in a new worker, reads what it lacks, then warms whole; a write meanwhile never leaves it stale', async () => {
    await replaceAllTexts(texts(base), checksumOf(base), { version: 'test.1' }, noProgress);
    forgetCache(); // a new worker
    expect(cacheIsWhole()).toBe(false);
    expect((await getRows([requesterKey(1)])).get(requesterKey(1))).toEqual(base[1]);
    await warmCache();
    expect(cacheIsWhole()).toBe(true);
    expect(await getRows(keys(50))).toEqual(new Map(base.map((r) => [r[0], r])));

    forgetCache();
    const warming = warmCache();
    await applyChangedTexts(texts([rated(2, 5)]), [], null, { version: 'test.2' });
    await warming;
    // Whichever finished first, the cache never answers the row as it was before the write.
    expect((await getRows([requesterKey(2)])).get(requesterKey(2))).toEqual(rated(2, 5));
    await warmCache();
    expect(await getRows(keys(50))).toEqual(new Map(base.map((r) => [r[0], r[0] === requesterKey(2) ? rated(2, 5) : r])));
  });

  it('is dropped when local data is cleared', async () => {
    await replaceAllTexts(texts(base), checksumOf(base), { version: 'test.1' }, noProgress);
    await deleteDatabase();
    expect((await getRows(keys(50))).size).toBe(0);
  });
});

describe('write notices during a sync', () => {
  it('are told once when the sync ends, merged ("all" wins), and also when it fails after writing', async () => {
    const base = [rated(1, 1), rated(2, 1)];
    const told: ReplicaChange[] = [];
    onReplicaWritten((c) => told.push(c));
    await batchWriteNotices(async () => {
      await replaceAllTexts(texts(base), checksumOf(base), { version: 'test.1' }, noProgress);
      await applyChangedTexts(texts([rated(1, 2)]), [], null, { version: 'test.2' });
      expect(told).toEqual([]); // nothing yet: the badge index waits for the sync's end
    });
    expect(told).toEqual(['all']);
    told.length = 0;
    await expect(
      batchWriteNotices(async () => {
        await applyChangedTexts(texts([rated(1, 3)]), [], null, { version: 'test.3' });
        await applyChangedTexts(texts([rated(2, 3)]), [requesterKey(5)], null, { version: 'test.4' });
        throw new Error('the rules could not be read');
      }),
    ).rejects.toThrow(/rules/);
    expect(told).toHaveLength(1);
    expect([...(told[0] as string[])].sort()).toEqual([requesterKey(1), requesterKey(2), requesterKey(5)].sort());
  });
});

describe('reading sync bodies', () => {
  const rows = [rated(1, 2), row(2, [['T"9', 2, 4, '2026-11-16']]), rated(3, 1)];
  const head = { format: 1, version: 'abcd.12', rulesVersion: 1, bucketPrefixLength: 0, checksum: checksumOf(rows) };
  const asServer = `{"format":1,"version":"abcd.12","rulesVersion":1,"bucketPrefixLength":0,"checksum":${JSON.stringify(checksumOf(rows))},"rows":[${texts(rows).join(',')}]}`;

  it('gives the same row texts and fields from the server’s layout and from any other JSON layout', () => {
    const fast = readSyncBody(asServer, SnapshotHead);
    const slow = readSyncBody(JSON.stringify({ rows, ...head }, null, 2), SnapshotHead);
    expect(fast).toEqual({ head: { ...head, rows: [] }, rows: texts(rows) });
    expect(slow).toEqual(fast);
  });

  it('names what is wrong: a bad row, a bad field, a body that is not JSON', () => {
    expect(readSyncBody(asServer.replace('"T\\"9",2', '"T\\"9",3'), SnapshotHead)).toEqual({ error: expect.stringMatching(/^rows\.1/) });
    expect(readSyncBody(asServer.replace('"version":"abcd.12"', '"version":"x"'), SnapshotHead)).toEqual({ error: expect.stringMatching(/^version/) });
    expect(readSyncBody(asServer.slice(0, -20), SnapshotHead)).toEqual({ error: expect.stringMatching(/not JSON/) });
    expect(readSyncBody(asServer, DeltaHead)).toEqual({ error: expect.stringMatching(/since/) });
  });
});
