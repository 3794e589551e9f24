/**
 * The local replica of the shared reputation database. Every badge is answered from
 * here, so looking at a task page tells no one anything. Rows are stored as their
 * canonical text (core/summary-text.ts: the server's own bytes, checked by the row
 * grammar before they are stored) with their checksum digests, grouped in buckets (see
 * db.ts), and parsed on lookup.
 *
 * Why text: IndexedDB copies what it stores with the structured clone algorithm, per
 * value; a bucket of ~25 rows as nested arrays is ~1,000 values to copy in and out, as
 * one string it is one. A 100k-row snapshot's writes and every lookup's reads cost a
 * fraction of what they did (issue 15).
 */
import type { RequesterKey } from '../core/requester-key.js';
import type { Rules } from '../core/rules.js';
import { RequesterSummary } from '../core/schemas.js';
import { decodeSummary, encodeSummary, updateChecksum, type Checksum, type EncodedSummary } from '../core/sync-protocol.js';
import { keyOfSummaryText, readSummaryText, summaryText, summaryTextHasSuspects, type EncodedSummaryText } from '../core/summary-text.js';
import { fnv1a32 } from '../core/hash.js';
import { describeIssues } from '../core/validation.js';
import { db, INITIAL_META, metaCommitted, readMeta, REPLICA_BUCKETS, REPLICA_STORES, writeMeta, type ReplicaBucket, type ReplicaStore, type SyncMeta } from './db.js';
import { BUCKETS_PER_TRANSACTION, rowsOf, type BucketRows } from './replica-rows.js';
import { updateSuspectIndexForChanges, writeSuspectIndexForSnapshot } from './suspects.js';
import { cacheChanges, cachedBucket, cacheFor, cacheGeneration, cacheIsWhole, cacheRead, cacheSnapshot, EMPTY_BUCKET, forgetCache, lineOf, type CachedBucket } from './replica-cache.js';
import { countReplicaWrite, owedReplicaWrite, settleReplicaWrites } from './index-debt.js';
import { whileKeptAlive } from './keep-alive.js';

/**
 * Nothing is lost if the browser crashes before a relaxed transaction reaches the disk:
 * the replica is a copy of the server's, and the sync record commits with the rows it
 * describes (all or nothing either way), so a lost write is taken again at the next sync.
 */
const WRITE = { durability: 'relaxed' } as const;

export { allRows } from './replica-rows.js';

export function bucketOf(key: RequesterKey): number {
  return fnv1a32(key) % REPLICA_BUCKETS;
}

type TextBucket = Extract<ReplicaBucket, { texts: string }>;

/** A bucket as stored: keys, row texts one per line (canonical JSON holds no raw newline), digests. */
function recordOf(bucket: number, rows: BucketRows): TextBucket {
  const keys: RequesterKey[] = [];
  const texts: EncodedSummaryText[] = [];
  const digests: number[] = [];
  for (const [key, [text, digest]] of rows) {
    keys.push(key);
    texts.push(text);
    digests.push(digest);
  }
  return { bucket, keys, texts: texts.join('\n'), digests };
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
 * Told after every committed write to the replica, with the requesters it changed ('all'
 * after a snapshot) and, of those, the ones the replica did not hold before: the badge
 * index mends just those (and needs to know which are new to tell hash collisions). A
 * listener returns a promise when it has work that must finish (the badge index: stored).
 */
export type ReplicaChange = readonly RequesterKey[] | 'all';
type WriteListener = (changed: ReplicaChange, added: ReadonlySet<RequesterKey>) => unknown;
const writeListeners: WriteListener[] = [];
export function onReplicaWritten(listener: WriteListener): void {
  writeListeners.push(listener);
}
/** While a sync runs, what it changed so far: told once, when it ends (see `batchWriteNotices`). */
let held: { all: boolean; keys: Set<RequesterKey>; added: Set<RequesterKey>; written: number } | null = null;

/**
 * Tells the listeners, the background kept running until they are done (keep-alive.ts),
 * then records writes up to number `written` as mended (index-debt.ts). Cut off before
 * that, the debt stays recorded and `resumeReplicaNotices` tells them again at start.
 */
function tell(changed: ReplicaChange, added: ReadonlySet<RequesterKey>, written: number): void {
  void whileKeptAlive(async () => {
    await Promise.all(writeListeners.map((listener) => listener(changed, added)));
    await settleReplicaWrites(written);
  }).catch((error: unknown) => console.warn('Lantern: the replica write was not followed up', error));
}

function replicaWritten(changed: ReplicaChange, added: ReadonlySet<RequesterKey>, written: number): void {
  if (held) {
    if (changed === 'all') held.all = true;
    else for (const key of changed) held.keys.add(key);
    for (const key of added) held.added.add(key);
    held.written = Math.max(held.written, written);
    return;
  }
  tell(changed, added, written);
}

/**
 * At the background's start: if a replica write's follow-up was cut off (the background
 * stopped before the badge index was stored), the listeners are told again. The changed
 * keys were not kept (nor which were new, which an update needs), so they are told 'all':
 * a whole build is always exact, and this is rare. Open tabs learn of it as of any index
 * write, through storage.
 */
export async function resumeReplicaNotices(): Promise<void> {
  const owed = await owedReplicaWrite();
  if (owed !== null) tell('all', new Set(), owed);
}

/**
 * Runs `work` (one sync: a snapshot and its catch-up delta, or several delta pages) and
 * tells the write listeners once, after it — whether it succeeded or not — what its
 * committed writes changed. The badge index is then mended once per sync instead of once
 * per write, and its work doesn't compete with the sync's own for the worker's thread.
 */
export async function batchWriteNotices<T>(work: () => Promise<T>): Promise<T> {
  if (held) return work();
  const batch = (held = { all: false, keys: new Set<RequesterKey>(), added: new Set<RequesterKey>(), written: 0 });
  try {
    return await work();
  } finally {
    held = null;
    if (batch.all) replicaWritten('all', new Set(), batch.written);
    else if (batch.keys.size > 0) replicaWritten([...batch.keys], batch.added, batch.written);
  }
}

/** A stored bucket (either layout) as the cache holds it. */
function cachedOf(record: ReplicaBucket | undefined): CachedBucket {
  if (!record) return EMPTY_BUCKET;
  if ('texts' in record) return { keys: record.keys, lines: record.texts.split('\n'), digests: record.digests };
  return cachedOfRows(rowsOf(record));
}

function rowsOfCached(bucket: CachedBucket): BucketRows {
  return new Map(bucket.keys.map((key, i) => [key, [bucket.lines[i]!, bucket.digests[i]!]]));
}

function cachedOfRows(rows: BucketRows): CachedBucket {
  const bucket: CachedBucket = { keys: [], lines: [], digests: [] };
  for (const [key, [text, digest]] of rows) {
    bucket.keys.push(key);
    bucket.lines.push(text);
    bucket.digests.push(digest);
  }
  return bucket;
}

/**
 * The replica's row texts for these keys (a key without a row maps to nothing): from the
 * memory cache (replica-cache.ts), else one readonly transaction for the buckets it lacks.
 */
export async function getRowTexts(keys: readonly RequesterKey[]): Promise<Map<RequesterKey, EncodedSummaryText>> {
  const groups = groupByBucket(keys, (key) => key);
  const meta = await readMeta();
  cacheFor(meta);
  const whole = cacheIsWhole();
  const missing = whole ? [] : [...groups.keys()].filter((bucket) => !cachedBucket(bucket));
  const fresh = new Map<number, CachedBucket>();
  if (missing.length > 0) {
    const readAt = cacheGeneration();
    const tx = (await db()).transaction(meta.active);
    const read = await Promise.all(missing.map((bucket) => tx.store.get(bucket)));
    await tx.done;
    missing.forEach((bucket, i) => fresh.set(bucket, cachedOf(read[i])));
    cacheRead(fresh, readAt);
  }
  const found = new Map<RequesterKey, EncodedSummaryText>();
  for (const [bucket, bucketKeys] of groups) {
    const rows = fresh.get(bucket) ?? cachedBucket(bucket) ?? EMPTY_BUCKET;
    for (const key of bucketKeys) {
      const text = lineOf(rows, key);
      if (text !== undefined) found.set(key, text);
    }
  }
  if (!whole) void warmCache();
  return found;
}

let warming: Promise<void> | null = null;

/**
 * Reads the whole replica into the memory cache, a few hundred buckets at a time (lookups
 * get their turn between reads); gives up if a write comes meanwhile (the next lookup
 * starts it again).
 */
export function warmCache(): Promise<void> {
  warming ??= (async () => {
    try {
      const meta = await readMeta();
      cacheFor(meta);
      const readAt = cacheGeneration();
      const { active } = meta;
      const read: [number, CachedBucket][] = [];
      for (let start = 0; start < REPLICA_BUCKETS; start += BUCKETS_PER_TRANSACTION) {
        const records = await (await db()).getAll(active, IDBKeyRange.bound(start, start + BUCKETS_PER_TRANSACTION - 1));
        if (readAt !== cacheGeneration()) return;
        for (const record of records) read.push([record.bucket, cachedOf(record)]);
      }
      cacheRead(read, readAt, true);
    } catch (error) {
      console.debug('Lantern: the replica cache could not be warmed', error);
    } finally {
      warming = null;
    }
  })();
  return warming;
}

/** The replica's encoded rows for these keys; a key without a row maps to nothing. */
export async function getRows(keys: readonly RequesterKey[]): Promise<Map<RequesterKey, EncodedSummary>> {
  const texts = await getRowTexts(keys);
  return new Map([...texts].map(([key, text]) => [key, readSummaryText(text)]));
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
 * Writes a whole snapshot (its rows' texts, already checked against the row grammar)
 * into the store not in use, in chunks (progress saved after each), then switches to it
 * in one transaction. Until that switch, lookups keep using the previous replica, whole;
 * a run cut off halfway is simply started again.
 */
export async function replaceAllTexts(
  texts: readonly EncodedSummaryText[],
  expected: Checksum,
  complete: Partial<SyncMeta>,
  onProgress: (done: number, total: number) => Promise<void>,
): Promise<void> {
  // Buckets by number (sparse arrays: 4,096 slots), each bucket's texts in its keys' order.
  const groups: TextBucket[] = [];
  const lines: EncodedSummaryText[][] = [];
  const seen = new Set<RequesterKey>();
  let sum = 0;
  for (const text of texts) {
    const digest = fnv1a32(text);
    sum = (sum + digest) >>> 0;
    const key = keyOfSummaryText(text);
    seen.add(key);
    const bucket = bucketOf(key);
    const record = (groups[bucket] ??= { bucket, keys: [], texts: '', digests: [] });
    record.keys.push(key);
    record.digests.push(digest);
    (lines[bucket] ??= []).push(text);
  }
  // A key twice in a snapshot would be one row: the count then mismatches.
  if (seen.size !== texts.length || seen.size !== expected.rows || sum !== expected.sum) {
    throw new ChecksumMismatch(expected, { rows: seen.size, sum });
  }
  const records = groups.filter(Boolean);
  for (const record of records) record.texts = lines[record.bucket]!.join('\n'); // one per line
  const database = await db();
  const { active } = await readMeta();
  const staging: ReplicaStore = REPLICA_STORES.find((s) => s !== active)!;
  await database.clear(staging);
  let done = 0;
  for (let start = 0; start < records.length; start += BUCKETS_PER_TRANSACTION) {
    const chunk = records.slice(start, start + BUCKETS_PER_TRANSACTION);
    const tx = database.transaction(staging, 'readwrite', WRITE);
    // Every put is queued at once (none waits for the one before).
    await Promise.all([...chunk.map((record) => tx.store.put(record)), tx.done]);
    done += chunk.reduce((n, record) => n + record.keys.length, 0);
    await onProgress(done, texts.length);
  }
  const tx = database.transaction('meta', 'readwrite', WRITE);
  const meta = (await tx.store.get('sync')) ?? INITIAL_META;
  const next: SyncMeta = { ...meta, ...complete, active: staging, checksum: expected, snapshotProgress: null };
  // The suspect index switches with the replica, in the same transaction; only the few
  // rows with suspect tasks are parsed for it.
  const suspects = texts.filter(summaryTextHasSuspects).map(readSummaryText);
  // The index's debt for this write commits with it (index-debt.ts).
  const [written] = await Promise.all([countReplicaWrite(tx), writeMeta(tx, next), writeSuspectIndexForSnapshot(tx, suspects, next)]);
  await tx.done;
  metaCommitted(next);
  // The memory cache becomes the snapshot just written: lookups need no read to warm it.
  cacheSnapshot(records.map((record) => [record.bucket, { keys: record.keys, lines: lines[record.bucket]!, digests: record.digests }]), next);
  replicaWritten('all', new Set(), written);
  // The old generation is no longer read; free its space.
  await database.clear(active);
}

/**
 * Applies changed rows' texts (checked against the row grammar) and removals to the
 * replica in one transaction, with the sync record. If the resulting checksum differs
 * from `expected`, the transaction is aborted: the replica stays exactly as it was.
 */
export async function applyChangedTexts(
  texts: readonly EncodedSummaryText[],
  removed: readonly RequesterKey[],
  expected: Checksum | null,
  complete: Partial<SyncMeta>,
): Promise<void> {
  // A requester changed twice across delta pages: its last row is its state.
  const latest = new Map<RequesterKey, EncodedSummaryText | null>(texts.map((text) => [keyOfSummaryText(text), text]));
  for (const key of removed) latest.set(key, null);
  const database = await db();
  const { active } = await readMeta();
  const tx = database.transaction([active, 'meta'], 'readwrite', WRITE);
  const store = tx.objectStore(active);
  try {
    const groups = groupByBucket([...latest.keys()], (key) => key);
    const before = (await tx.objectStore('meta').get('sync')) ?? INITIAL_META;
    // The buckets as they are: from the memory cache when it holds the whole replica this
    // transaction sees (no read of a thousand records), else from the store.
    cacheFor(before);
    const fromCache = cacheIsWhole();
    const records = fromCache ? [] : await Promise.all([...groups.keys()].map((bucket) => store.get(bucket)));
    let checksum = before.checksum;
    const cached: [number, CachedBucket][] = [];
    const added = new Set<RequesterKey>();
    const changedBuckets = [...groups].map(([bucket, keys], i) => {
      const rows = fromCache ? rowsOfCached(cachedBucket(bucket) ?? EMPTY_BUCKET) : rowsOf(records[i]);
      for (const key of keys) {
        const old = rows.get(key)?.[1] ?? null;
        const text = latest.get(key)!;
        if (text) {
          const digest = fnv1a32(text);
          if (old === null) added.add(key);
          checksum = updateChecksum(checksum, old, digest);
          rows.set(key, [text, digest]);
        } else if (old !== null) {
          checksum = updateChecksum(checksum, old, null);
          rows.delete(key);
        }
      }
      cached.push([bucket, cachedOfRows(rows)]);
      return recordOf(bucket, rows);
    });
    if (expected && (expected.rows !== checksum.rows || expected.sum !== checksum.sum)) {
      throw new ChecksumMismatch(expected, checksum);
    }
    const next: SyncMeta = { ...before, ...complete, checksum };
    // An idle poll (no row changed) moves only the version: the suspect index stays true,
    // and nothing that follows replica writes (badge index, matching) has anything to do.
    const changed = latest.size > 0;
    const parsed = changed ? new Map([...latest].map(([key, text]) => [key, text === null ? null : readSummaryText(text)])) : null;
    // A changing write counts itself in the index's debt, in this transaction (index-debt.ts).
    const [written] = await Promise.all([
      changed ? countReplicaWrite(tx) : 0,
      ...changedBuckets.map((record) => store.put(record)),
      writeMeta(tx, next),
      ...(parsed ? [updateSuspectIndexForChanges(tx, parsed, before, next)] : []),
    ]);
    await tx.done;
    metaCommitted(next);
    cacheChanges(cached, next);
    if (changed) replicaWritten([...latest.keys()], added, written);
  } catch (error) {
    forgetCache(); // whatever happened, the cache is not trusted
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
  const texts = summaries.map((candidate, i) => {
    const parsed = RequesterSummary.safeParse(candidate);
    if (!parsed.success) throw new Error(`summaries.${i}: ${describeIssues(parsed.error)}`);
    return summaryText(encodeSummary(parsed.data));
  });
  await applyChangedTexts(texts, [], null, {});
  return texts.length;
}

/** `replaceAllTexts` for rows as tuples (tests, tools): their canonical texts are written. */
export function replaceAll(rows: readonly EncodedSummary[], expected: Checksum, complete: Partial<SyncMeta>, onProgress: (done: number, total: number) => Promise<void>): Promise<void> {
  return replaceAllTexts(rows.map(summaryText), expected, complete, onProgress);
}

/** `applyChangedTexts` for rows as tuples (tests, tools). */
export function applyChanges(rows: readonly EncodedSummary[], removed: readonly RequesterKey[], expected: Checksum | null, complete: Partial<SyncMeta>): Promise<void> {
  return applyChangedTexts(rows.map(summaryText), removed, expected, complete);
}
