/**
 * The local replica of the shared reputation database. Every badge is answered from
 * here, so looking at a task page tells no one anything. Rows are stored in the
 * server's compact encoding with their checksum digest, grouped in buckets (see db.ts),
 * and decoded on lookup.
 */
import type { RequesterKey } from '../core/requester-key.js';
import type { Rules } from '../core/rules.js';
import { RequesterSummary } from '../core/schemas.js';
import {
  checksumOf,
  decodeSummary,
  encodeSummary,
  rowDigest,
  updateChecksum,
  type Checksum,
  type EncodedSummary,
} from '../core/sync-protocol.js';
import { fnv1a32 } from '../core/hash.js';
import { describeIssues } from '../core/validation.js';
import { db, INITIAL_META, metaCommitted, readMeta, REPLICA_BUCKETS, REPLICA_STORES, writeMeta, type ReplicaBucket, type ReplicaStore, type SyncMeta } from './db.js';
import { updateSuspectIndexForChanges, writeSuspectIndexForSnapshot } from './suspects.js';

const BUCKETS_PER_TRANSACTION = 512;

export function bucketOf(key: RequesterKey): number {
  return fnv1a32(key) % REPLICA_BUCKETS;
}

function groupByBucket<T>(items: readonly T[], keyOf: (item: T) => RequesterKey): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const bucket = bucketOf(keyOf(item));
    const group = groups.get(bucket);
    if (group) group.push(item);
    else groups.set(bucket, [item]);
  }
  return groups;
}

export async function getSummaries(keys: readonly RequesterKey[], rules: Rules): Promise<Map<RequesterKey, RequesterSummary>> {
  const rows = await getRows(keys);
  return new Map([...rows].map(([key, row]) => [key, decodeSummary(row, rules)]));
}

/**
 * Bucket records read recently, kept in memory while the background lives: a worker's
 * task lists show the same requesters again and again, and IndexedDB costs about 0.1 ms
 * per record read. Any write to the replica empties it. Bounded (least recently used out).
 */
const BUCKET_CACHE_SIZE = 1024;
const bucketCache = new Map<number, ReplicaBucket | null>();
/** Bumped by every write: a read that overlapped a write doesn't fill the cache. */
let replicaGeneration = 0;

function forgetCachedBuckets(): void {
  replicaGeneration += 1;
  bucketCache.clear();
}

/**
 * Told after every committed write to the replica, with the requesters it changed ('all'
 * after a snapshot): the badge index mends just those.
 */
export type ReplicaChange = readonly RequesterKey[] | 'all';
const writeListeners: ((changed: ReplicaChange) => void)[] = [];
export function onReplicaWritten(listener: (changed: ReplicaChange) => void): void {
  writeListeners.push(listener);
}
function replicaWritten(changed: ReplicaChange): void {
  for (const listener of writeListeners) listener(changed);
}

/**
 * Every row of the replica, a few hundred buckets at a time (so lookups get their turn
 * between reads).
 */
export async function* allRows(): AsyncGenerator<EncodedSummary[]> {
  const { active } = await readMeta();
  for (let start = 0; start < REPLICA_BUCKETS; start += BUCKETS_PER_TRANSACTION) {
    const records = await (await db()).getAll(active, IDBKeyRange.bound(start, start + BUCKETS_PER_TRANSACTION - 1));
    yield records.flatMap((record) => Object.values(record.rows).map(([row]) => row));
  }
}

/** The replica's encoded rows for these keys; a key without a row maps to nothing. */
export async function getRows(keys: readonly RequesterKey[]): Promise<Map<RequesterKey, EncodedSummary>> {
  const groups = groupByBucket(keys, (key) => key);
  const missing = [...groups.keys()].filter((bucket) => !bucketCache.has(bucket));
  const fresh = new Map<number, ReplicaBucket | null>();
  if (missing.length > 0) {
    const generation = replicaGeneration;
    const { active } = await readMeta();
    const tx = (await db()).transaction(active);
    const read = await Promise.all(missing.map((bucket) => tx.store.get(bucket)));
    await tx.done;
    missing.forEach((bucket, i) => fresh.set(bucket, read[i] ?? null));
    if (generation === replicaGeneration) for (const [bucket, record] of fresh) bucketCache.set(bucket, record);
  }
  const buckets = [...groups.keys()].map((bucket) => {
    const record = fresh.has(bucket) ? fresh.get(bucket)! : (bucketCache.get(bucket) ?? null);
    if (bucketCache.has(bucket)) {
      bucketCache.delete(bucket); // re-insert: most recently used last
      bucketCache.set(bucket, record);
    }
    return record;
  });
  while (bucketCache.size > BUCKET_CACHE_SIZE) bucketCache.delete(bucketCache.keys().next().value!);
  const found = new Map<RequesterKey, EncodedSummary>();
  for (const record of buckets) {
    if (!record) continue;
    for (const key of groups.get(record.bucket) ?? []) {
      const stored = record.rows[key];
      if (stored) found.set(key, stored[0]);
    }
  }
  return found;
}

/** How many requesters the replica holds (the checksum counts them). */
export async function countRows(): Promise<number> {
  return (await readMeta()).checksum.rows;
}

export class ChecksumMismatch extends Error {
  constructor(expected: Checksum, actual: Checksum) {
    super(`checksum mismatch: server says ${expected.rows} rows/${expected.sum}, replica has ${actual.rows}/${actual.sum}`);
  }
}

/**
 * Writes a whole snapshot into the store not in use, in chunks (progress saved after
 * each), then switches to it in one transaction. Until that switch, lookups keep using
 * the previous replica, whole; a run cut off halfway is simply started again.
 */
export async function replaceAll(
  rows: readonly EncodedSummary[],
  expected: Checksum,
  complete: Partial<SyncMeta>,
  onProgress: (done: number, total: number) => Promise<void>,
): Promise<void> {
  const actual = checksumOf(rows);
  if (actual.rows !== expected.rows || actual.sum !== expected.sum) throw new ChecksumMismatch(expected, actual);
  const records: ReplicaBucket[] = [...groupByBucket(rows, (row) => row[0])].map(([bucket, group]) => {
    const record: ReplicaBucket = { bucket, rows: {} };
    for (const row of group) record.rows[row[0]] = [row, rowDigest(row)];
    return record;
  });
  const database = await db();
  const { active } = await readMeta();
  const staging: ReplicaStore = REPLICA_STORES.find((s) => s !== active)!;
  forgetCachedBuckets();
  await database.clear(staging);
  let done = 0;
  for (let start = 0; start < records.length; start += BUCKETS_PER_TRANSACTION) {
    const chunk = records.slice(start, start + BUCKETS_PER_TRANSACTION);
    const tx = database.transaction(staging, 'readwrite');
    await Promise.all([...chunk.map((record) => tx.store.put(record)), tx.done]);
    done += chunk.reduce((n, record) => n + Object.keys(record.rows).length, 0);
    await onProgress(done, rows.length);
  }
  const tx = database.transaction('meta', 'readwrite');
  const meta = (await tx.store.get('sync')) ?? INITIAL_META;
  const next: SyncMeta = { ...meta, ...complete, active: staging, checksum: expected, snapshotProgress: null };
  // The suspect index switches with the replica, in the same transaction.
  await Promise.all([writeMeta(tx, next), writeSuspectIndexForSnapshot(tx, rows, next)]);
  await tx.done;
  metaCommitted(next);
  forgetCachedBuckets();
  replicaWritten('all');
  // The old generation is no longer read; free its space.
  await database.clear(active);
}

/**
 * Applies changed rows (and removals) to the replica in one transaction, with the sync
 * record. If the resulting checksum differs from `expected`, the transaction is aborted:
 * the replica stays exactly as it was.
 */
export async function applyChanges(
  rows: readonly EncodedSummary[],
  removed: readonly RequesterKey[],
  expected: Checksum | null,
  complete: Partial<SyncMeta>,
): Promise<void> {
  // A requester changed twice across delta pages: its last row is its state.
  const latest = new Map<RequesterKey, EncodedSummary | null>(rows.map((row) => [row[0], row]));
  for (const key of removed) latest.set(key, null);
  const database = await db();
  const { active } = await readMeta();
  forgetCachedBuckets();
  const tx = database.transaction([active, 'meta'], 'readwrite');
  const store = tx.objectStore(active);
  try {
    const meta = (await tx.objectStore('meta').get('sync')) ?? INITIAL_META;
    let checksum = meta.checksum;
    const groups = groupByBucket([...latest.keys()], (key) => key);
    const records = await Promise.all([...groups.keys()].map(async (bucket) => (await store.get(bucket)) ?? { bucket, rows: {} }));
    for (const record of records) {
      for (const key of groups.get(record.bucket)!) {
        const before = record.rows[key]?.[1] ?? null;
        const row = latest.get(key)!;
        if (row) {
          const digest = rowDigest(row);
          checksum = updateChecksum(checksum, before, digest);
          record.rows[key] = [row, digest];
        } else if (before !== null) {
          checksum = updateChecksum(checksum, before, null);
          delete record.rows[key];
        }
      }
    }
    if (expected && (expected.rows !== checksum.rows || expected.sum !== checksum.sum)) {
      throw new ChecksumMismatch(expected, checksum);
    }
    const next: SyncMeta = { ...meta, ...complete, checksum };
    // An idle poll (no row changed) moves only the version: the suspect index stays true,
    // and nothing that follows replica writes (badge index, matching) has anything to do.
    const changed = latest.size > 0;
    await Promise.all([
      ...records.map((record) => store.put(record)),
      writeMeta(tx, next),
      ...(changed ? [updateSuspectIndexForChanges(tx, latest, meta, next)] : []),
    ]);
    await tx.done;
    metaCommitted(next);
    forgetCachedBuckets();
    if (changed) replicaWritten([...latest.keys()]);
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // already finished or aborted
    }
    await tx.done.catch(() => undefined);
    throw error;
  }
}

/**
 * Puts summaries into the replica through the same change path sync uses (checksum kept).
 * For the developer console and tests; all or nothing.
 */
export async function putSummaries(summaries: readonly unknown[]): Promise<number> {
  const rows = summaries.map((candidate, i) => {
    const parsed = RequesterSummary.safeParse(candidate);
    if (!parsed.success) throw new Error(`summaries.${i}: ${describeIssues(parsed.error)}`);
    return encodeSummary(parsed.data);
  });
  await applyChanges(rows, [], null, {});
  return rows.length;
}
