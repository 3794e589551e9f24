/**
 * The suspect index on fake-indexeddb, through the replica's own write paths: built while
 * a snapshot is written, updated by deltas and removals, and never trusted when it isn't
 * of the replica in force. Also the codec round trip of rows that carry suspect tasks.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../core/rules.js';
import { decodeSummary, encodeSummary, type EncodedSummary } from '../core/summary-codec.js';
import { checksumOf, rowDigest, EncodedSummary as EncodedSummarySchema } from '../core/sync-protocol.js';
import { db, deleteDatabase, readMeta } from './db.js';
import { applyChanges, onReplicaWritten, putSummaries, replaceAll } from './replica.js';
import { row } from './suspect-rows.testing.js';
import { readSuspects, SUSPECT_INDEX_FORMAT, type SuspectIndexRecord } from './suspects.js';

const noProgress = async () => undefined;

async function snapshot(rows: EncodedSummary[]): Promise<void> {
  await replaceAll(rows, checksumOf(rows), { version: 'test.1' }, noProgress);
}

async function storedRecord(): Promise<SuspectIndexRecord | undefined> {
  return (await (await db()).get('meta', 'suspects' as never)) as unknown as SuspectIndexRecord | undefined;
}

const keysOf = async () => (await readSuspects()).map((s) => s.requester).sort();

beforeEach(async () => {
  await deleteDatabase();
});

describe('suspect tasks in the codec', () => {
  it('round-trips a row with suspect tasks, and a row without keeps its 8 elements (and digest)', () => {
    const withTasks = row(1, [
      ['3W718UE9EU3HU46PLOZCGM2A1IF8KS', 1, 3, '2026-11-30'],
      ['3G1YHEL1EXCD4RRXH4GDDPW2DZ60IJ', 2, 7, '2026-11-23'],
    ]);
    expect(EncodedSummarySchema.safeParse(withTasks).success).toBe(true);
    const summary = decodeSummary(withTasks, DEFAULT_RULES);
    expect(summary.suspectTasks).toEqual([
      { taskId: '3W718UE9EU3HU46PLOZCGM2A1IF8KS', state: 'investigating', accounts: 3, since: '2026-11-30' },
      { taskId: '3G1YHEL1EXCD4RRXH4GDDPW2DZ60IJ', state: 'confirmed', accounts: 7, since: '2026-11-23' },
    ]);
    expect(encodeSummary(summary)).toEqual(withTasks);
    const plain = row(2);
    expect(encodeSummary(decodeSummary(plain, DEFAULT_RULES))).toEqual(plain);
    expect(encodeSummary(decodeSummary(plain, DEFAULT_RULES))).toHaveLength(8);
    // The suspect tasks are part of the row's digest, so the checksum covers them.
    expect(rowDigest(withTasks)).not.toBe(rowDigest(row(1)));
  });
});

describe('suspect index', () => {
  it('is built while a snapshot is written, in the switch transaction', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => row(i, i === 7 || i === 250 ? [[`TASK${i}`, 1, 3, '2026-11-30']] : undefined));
    await snapshot(rows);
    const record = await storedRecord();
    const meta = await readMeta();
    expect(record).toMatchObject({ format: SUSPECT_INDEX_FORMAT, store: meta.active, checksum: meta.checksum });
    expect(Object.keys(record!.requesters).sort()).toEqual([row(7)[0], row(250)[0]]);
    expect(await readSuspects()).toContainEqual({
      requester: row(7)[0],
      name: 'Requester 7',
      tasks: [{ taskId: 'TASK7', state: 'investigating', accounts: 3, since: '2026-11-30' }],
    });
  });

  it('follows deltas: rows gaining, changing and losing suspect tasks, and removed requesters', async () => {
    await snapshot([row(1, [['T1', 1, 3, '2026-11-30']]), row(2, [['T2', 1, 3, '2026-11-30']]), row(3, [['T3', 1, 3, '2026-11-30']]), row(4)]);
    expect(await keysOf()).toEqual([row(1)[0], row(2)[0], row(3)[0]]);
    // 1 confirmed, 2's incident dismissed (row without suspects), 3 removed, 4 gains one.
    const changed = [row(1, [['T1', 2, 5, '2026-11-30']]), row(2), row(4, [['T4', 1, 3, '2026-11-30']])];
    await applyChanges(changed, [row(3)[0]], null, { version: 'test.2' });
    expect(await keysOf()).toEqual([row(1)[0], row(4)[0]]);
    const one = (await readSuspects()).find((s) => s.requester === row(1)[0]);
    expect(one?.tasks).toEqual([{ taskId: 'T1', state: 'confirmed', accounts: 5, since: '2026-11-30' }]);
    // Still the record of the replica in force: no rebuild needed.
    const meta = await readMeta();
    expect((await storedRecord())?.checksum).toEqual(meta.checksum);
  });

  it('an idle poll (no row changed) moves the version only: the index stays, nothing is told', async () => {
    await snapshot([row(1, [['T1', 1, 3, '2026-11-30']]), row(2)]);
    let told = 0;
    onReplicaWritten(() => (told += 1));
    await applyChanges([], [], null, { version: 'test.9' });
    expect(told).toBe(0);
    expect((await readMeta()).version).toBe('test.9');
    expect(await keysOf()).toEqual([row(1)[0]]);
    await applyChanges([row(2, [['T2', 1, 3, '2026-11-30']])], [], null, { version: 'test.10' });
    expect(told).toBe(1);
    expect(await keysOf()).toEqual([row(1)[0], row(2)[0]]);
  });

  it('is kept from the first rows put into an empty replica (putSummaries)', async () => {
    await putSummaries([decodeSummary(row(9, [['T9', 2, 4, '2026-11-16']]), DEFAULT_RULES)]);
    expect(await storedRecord()).toBeDefined();
    expect(await keysOf()).toEqual([row(9)[0]]);
  });

  it('a record of another generation is rebuilt from the replica, never believed', async () => {
    await snapshot([row(1, [['T1', 1, 3, '2026-11-30']]), row(2)]);
    const meta = await readMeta();
    // A stale record that still claims requester 2 (e.g. written by an older version).
    const stale: SuspectIndexRecord = {
      format: SUSPECT_INDEX_FORMAT,
      store: meta.active,
      checksum: { rows: meta.checksum.rows, sum: (meta.checksum.sum + 1) >>> 0 },
      requesters: { [row(2)[0]]: { requester: row(2)[0], name: 'Requester 2', tasks: [{ taskId: 'GONE', state: 'confirmed', accounts: 9, since: '2026-11-02' }] } },
    };
    await (await db()).put('meta', stale as never, 'suspects');
    expect(await keysOf()).toEqual([row(1)[0]]);
    expect((await storedRecord())?.checksum).toEqual(meta.checksum); // rebuilt and stored

    // An older format is rebuilt too.
    await (await db()).put('meta', { ...stale, checksum: meta.checksum, format: SUSPECT_INDEX_FORMAT - 1 } as never, 'suspects');
    expect(await keysOf()).toEqual([row(1)[0]]);
  });

  it('a delta on top of a stale record drops it instead of patching it', async () => {
    await snapshot([row(1, [['T1', 1, 3, '2026-11-30']]), row(2)]);
    const meta = await readMeta();
    const bogus = { format: SUSPECT_INDEX_FORMAT, store: meta.active, checksum: { rows: 99, sum: 1 }, requesters: { [row(2)[0]]: { requester: row(2)[0], name: '', tasks: [] } } };
    await (await db()).put('meta', bogus as never, 'suspects');
    await applyChanges([row(3, [['T3', 1, 3, '2026-11-30']])], [], null, {});
    expect(await storedRecord()).toBeUndefined();
    expect(await keysOf()).toEqual([row(1)[0], row(3)[0]]);
  });

  it('a snapshot that fails its checksum leaves the index of the previous replica', async () => {
    await snapshot([row(1, [['T1', 1, 3, '2026-11-30']])]);
    const next = [row(2, [['T2', 1, 3, '2026-11-30']])];
    await expect(replaceAll(next, { rows: 1, sum: 12345 }, {}, noProgress)).rejects.toThrow(/checksum/);
    expect(await keysOf()).toEqual([row(1)[0]]);
  });

  it('an empty database has no suspects', async () => {
    expect(await readSuspects()).toEqual([]);
  });
});
