/**
 * The shape of the sync record (what sync knows about the replica). Its own module so that
 * db.ts, which stores it, and stored-state/records.ts, which db.ts uses to read it field by
 * field, share the type without importing each other.
 */
import type { Checksum } from '../core/sync-protocol.js';

/** The replica's two object stores: a snapshot fills the inactive one, then they swap. */
export type ReplicaStore = 'rowsA' | 'rowsB';

/** What sync knows about the replica; one record, changed only in whole transactions. */
export interface SyncMeta {
  active: ReplicaStore;
  version: string | null;
  checksum: Checksum;
  rulesVersion: number;
  bucketPrefixLength: number;
  lastSyncAt: number | null;
  nextSyncAt: number | null;
  lastError: string | null;
  failures: number;
  snapshotProgress: { done: number; total: number } | null;
}
