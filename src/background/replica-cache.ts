/**
 * The replica's buckets in memory, while the background lives — only a cache: the
 * service worker (or Firefox's event page) may be stopped at any moment, and then the
 * next lookup reads IndexedDB again.
 *
 * Why the whole replica: a page scan asks about requesters it has never shown, spread
 * over as many buckets as there are requesters, and IndexedDB costs per record read (a
 * hundred reads ≈ 5–15 ms, most of a lookup). As text the whole replica is small (~15 MB
 * at 100k requesters, shared with the strings IndexedDB gave back), so after a snapshot
 * the cache is filled with what was just written, after a delta the changed buckets are
 * replaced, and a worker that starts cold warms it in the background after its first
 * lookup. Lookups are then answered from memory.
 *
 * Every write bumps `generation`: a read begun before a write never fills the cache. The
 * cache also names the replica it holds (store and checksum): anything else in force —
 * local data cleared, another worker's write — and it is dropped before use.
 */
import type { RequesterKey } from '../core/requester-key.js';
import type { EncodedSummaryText } from '../core/summary-text.js';

/** One bucket: its keys, each key's row text (same order) and digest. */
export interface CachedBucket {
  keys: RequesterKey[];
  lines: EncodedSummaryText[];
  digests: number[];
}

export const EMPTY_BUCKET: CachedBucket = { keys: [], lines: [], digests: [] };

const buckets = new Map<number, CachedBucket>();
let generation = 0;
/** Every bucket of the replica in force is in `buckets` (empty ones as EMPTY_BUCKET). */
let whole = false;
/** The replica the cache holds: its store and checksum. */
let holds: string | null = null;

interface ReplicaId {
  active: string;
  checksum: { rows: number; sum: number };
}
const idOf = (meta: ReplicaId) => `${meta.active}:${meta.checksum.rows}:${meta.checksum.sum}`;

/** Call before using the cache with the replica in force: drops it if it holds another. */
export function cacheFor(meta: ReplicaId): void {
  if (holds === idOf(meta)) return;
  forgetCache();
  holds = idOf(meta);
}

export function cacheGeneration(): number {
  return generation;
}

export function cachedBucket(bucket: number): CachedBucket | undefined {
  return buckets.get(bucket);
}

export function cacheIsWhole(): boolean {
  return whole;
}

/** The row text of `key` in a bucket, if it has one. */
export function lineOf(bucket: CachedBucket, key: RequesterKey): EncodedSummaryText | undefined {
  const i = bucket.keys.indexOf(key);
  return i < 0 ? undefined : bucket.lines[i];
}

/** Buckets read from IndexedDB at `readAt`: kept unless a write came since. Returns whether kept. */
export function cacheRead(read: Iterable<[number, CachedBucket]>, readAt: number, complete = false): boolean {
  if (readAt !== generation) return false;
  for (const [bucket, rows] of read) buckets.set(bucket, rows);
  if (complete) whole = true;
  return true;
}

/** A snapshot was switched to: these are all its buckets (any other is empty). */
export function cacheSnapshot(all: Iterable<[number, CachedBucket]>, meta: ReplicaId): void {
  generation += 1;
  holds = idOf(meta);
  buckets.clear();
  for (const [bucket, rows] of all) buckets.set(bucket, rows);
  whole = true;
}

/** A delta was committed: these buckets are now as given (the others are unchanged). */
export function cacheChanges(changed: Iterable<[number, CachedBucket]>, meta: ReplicaId): void {
  generation += 1;
  holds = idOf(meta);
  for (const [bucket, rows] of changed) buckets.set(bucket, rows);
}

/** A write whose result isn't known here (or a failed one that may have committed): start over. */
export function forgetCache(): void {
  generation += 1;
  buckets.clear();
  whole = false;
  holds = null;
}
