/**
 * The extension's IndexedDB database. Two replica stores let a new snapshot be written
 * beside the one in use and switched to in a single transaction: a snapshot cut off at
 * any point leaves the previous replica whole.
 *
 * Replica rows are grouped into 4,096 buckets by a hash of their key, one record per
 * bucket: IndexedDB's cost is per record, and a 100k-requester snapshot written as 100k
 * records took over ten seconds, as 4,096 records about one.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxItem } from '../core/extension-state.js';
import type { RequesterKey } from '../core/requester-key.js';
import type { BucketBody, EncodedSummary } from '../core/sync-protocol.js';
import type { SuspectMatch, WorkLogEntry } from '../core/work-log.js';
import { readSyncMeta } from './stored-state/records.js';
import type { ReplicaStore, SyncMeta } from './sync-meta.js';

export type { ReplicaStore, SyncMeta } from './sync-meta.js';

export const REPLICA_STORES: readonly ReplicaStore[] = ['rowsA', 'rowsB'];

export const REPLICA_BUCKETS = 4096;

/**
 * One bucket of the replica: each requester's row as its canonical text (one per line,
 * in `keys` order) and its checksum digest. Buckets written before issue 15 hold the rows
 * as tuples; replica.ts reads both and writes only the first.
 */
export type ReplicaBucket =
  | { bucket: number; keys: RequesterKey[]; texts: string; digests: number[] }
  | { bucket: number; rows: Record<RequesterKey, [row: EncodedSummary, digest: number]> };

export interface CachedBucket {
  prefix: string;
  fetchedAt: number;
  body: BucketBody;
}

interface LanternDB extends DBSchema {
  rowsA: { key: number; value: ReplicaBucket };
  rowsB: { key: number; value: ReplicaBucket };
  meta: { key: string; value: SyncMeta };
  outbox: { key: string; value: OutboxItem };
  buckets: { key: string; value: CachedBucket };
  /** The browser-only work log (work-log.ts), keyed by `workLogId`. */
  workLog: {
    key: string;
    value: WorkLogEntry;
    indexes: { lastAt: number; group: [string, string] };
  };
  /** Suspect task groups found in the work log (matched here, never sent). */
  suspectMatches: { key: string; value: SuspectMatch };
}

export const DB_NAME = 'lantern';
export const DB_VERSION = 2;
let dbPromise: Promise<IDBPDatabase<LanternDB>> | null = null;

export function db(): Promise<IDBPDatabase<LanternDB>> {
  dbPromise ??= openDB<LanternDB>(DB_NAME, DB_VERSION, {
    // Each step only ADDS what its version brought: an upgrade must never drop or reset
    // what an earlier version stored (replica, outbox, the worker's own work log).
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('rowsA', { keyPath: 'bucket' });
        database.createObjectStore('rowsB', { keyPath: 'bucket' });
        database.createObjectStore('meta');
        database.createObjectStore('outbox', { keyPath: 'id' });
        database.createObjectStore('buckets', { keyPath: 'prefix' });
      }
      if (oldVersion < 2) {
        const log = database.createObjectStore('workLog', { keyPath: 'id' });
        // Retention and "newest first" walk this index; matching reads the group index.
        log.createIndex('lastAt', 'lastAt');
        log.createIndex('group', ['requester', 'taskId']);
        database.createObjectStore('suspectMatches', { keyPath: 'id' });
      }
    },
    // Another tab of ours (an options page) holding an old version open must not block
    // the upgrade for ever: close ours so the newer one can proceed.
    blocking() {
      const open = dbPromise;
      dbPromise = null;
      void open?.then((database) => database.close());
    },
  });
  return dbPromise;
}

/** Deletes the whole database (options → clear local data). */
export async function deleteDatabase(): Promise<void> {
  cachedMeta = null;
  const open = dbPromise;
  dbPromise = null;
  if (open) (await open).close();
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => resolve();
  });
}

export const INITIAL_META: SyncMeta = {
  active: 'rowsA',
  version: null,
  checksum: { rows: 0, sum: 0 },
  rulesVersion: 1,
  bucketPrefixLength: 0,
  lastSyncAt: null,
  nextSyncAt: null,
  lastError: null,
  failures: 0,
  snapshotProgress: null,
};

/**
 * The sync record is read on every lookup; only this worker writes it, through
 * `writeMeta`, so a copy in memory stays true.
 */
let cachedMeta: SyncMeta | null = null;

export async function readMeta(): Promise<SyncMeta> {
  // Field by field (stored-state/records.ts): a field another release wrote differently
  // falls back alone; one naming the replica itself drops its version (a fresh snapshot).
  cachedMeta ??= readSyncMeta(await (await db()).get('meta', 'sync'), INITIAL_META).value;
  return cachedMeta;
}

/** Writes the sync record inside `tx` (which must include the meta store). */
export async function writeMeta(tx: { objectStore(name: 'meta'): { put(value: SyncMeta, key: string): Promise<unknown> } }, meta: SyncMeta): Promise<void> {
  cachedMeta = null; // until the transaction commits, nobody may trust a copy
  await tx.objectStore('meta').put(meta, 'sync');
}

/** Call after a transaction that wrote the record has completed. */
export function metaCommitted(meta: SyncMeta): void {
  cachedMeta = meta;
}

/** Changes some fields of the sync record (not the replica switch: see replica.ts). */
export async function patchMeta(patch: Partial<SyncMeta>): Promise<SyncMeta> {
  const tx = (await db()).transaction('meta', 'readwrite');
  const next = { ...((await tx.store.get('sync')) ?? INITIAL_META), ...patch };
  await writeMeta(tx, next);
  await tx.done;
  metaCommitted(next);
  return next;
}
