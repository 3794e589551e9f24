/**
 * The local replica of the shared reputation database. Every badge is answered from
 * here, so looking at a task page tells no one anything. Rows are stored in the
 * server's compact encoding with their checksum digest, and decoded on lookup.
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
import { describeIssues } from '../core/validation.js';
import { db, INITIAL_META, readMeta, REPLICA_STORES, type ReplicaStore, type SyncMeta } from './db.js';

const SNAPSHOT_CHUNK = 5000;

export async function getSummaries(keys: readonly RequesterKey[], rules: Rules): Promise<Map<RequesterKey, RequesterSummary>> {
  const { active } = await readMeta();
  const tx = (await db()).transaction(active);
  const rows = await Promise.all(keys.map((key) => tx.store.get(key)));
  await tx.done;
  const found = new Map<RequesterKey, RequesterSummary>();
  for (const stored of rows) if (stored) found.set(stored.key, decodeSummary(stored.row, rules));
  return found;
}

export async function countRows(): Promise<number> {
  const { active } = await readMeta();
  return (await db()).count(active);
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
  const database = await db();
  const { active } = await readMeta();
  const staging: ReplicaStore = REPLICA_STORES.find((s) => s !== active)!;
  await database.clear(staging);
  for (let start = 0; start < rows.length; start += SNAPSHOT_CHUNK) {
    const tx = database.transaction(staging, 'readwrite');
    for (const row of rows.slice(start, start + SNAPSHOT_CHUNK)) void tx.store.put({ key: row[0], row, digest: rowDigest(row) });
    await tx.done;
    await onProgress(Math.min(start + SNAPSHOT_CHUNK, rows.length), rows.length);
  }
  const tx = database.transaction('meta', 'readwrite');
  const meta = (await tx.store.get('sync')) ?? INITIAL_META;
  await tx.store.put({ ...meta, ...complete, active: staging, checksum: expected, snapshotProgress: null }, 'sync');
  await tx.done;
  // The old generation is no longer read; free its space.
  await database.clear(active);
}

/**
 * Applies changed rows (and removals) to the replica in one transaction, with the sync
 * record. If the resulting checksum differs from `expected`, the transaction is aborted:
 * the replica stays exactly as it was.
 */
export async function applyChanges(
  rows: EncodedSummary[],
  removed: readonly RequesterKey[],
  expected: Checksum | null,
  complete: Partial<SyncMeta>,
): Promise<void> {
  // A requester changed twice across delta pages: its last row is its state.
  rows = [...new Map(rows.map((row) => [row[0], row])).values()];
  const database = await db();
  const { active } = await readMeta();
  const tx = database.transaction([active, 'meta'], 'readwrite');
  const store = tx.objectStore(active);
  const meta = (await tx.objectStore('meta').get('sync')) ?? INITIAL_META;
  let checksum = meta.checksum;
  try {
    const before = await Promise.all([...rows.map((r) => store.get(r[0])), ...removed.map((key) => store.get(key))]);
    rows.forEach((row, i) => {
      const digest = rowDigest(row);
      checksum = updateChecksum(checksum, before[i]?.digest ?? null, digest);
      void store.put({ key: row[0], row, digest });
    });
    removed.forEach((key, i) => {
      const old = before[rows.length + i];
      if (!old) return;
      checksum = updateChecksum(checksum, old.digest, null);
      void store.delete(key);
    });
    if (expected && (expected.rows !== checksum.rows || expected.sum !== checksum.sum)) {
      throw new ChecksumMismatch(expected, checksum);
    }
    await tx.objectStore('meta').put({ ...meta, ...complete, checksum }, 'sync');
    await tx.done;
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
