/**
 * The suspect index: the few replica rows that carry suspect task groups (issue 11), kept
 * beside the replica so the matcher never scans 100k requesters after a sync.
 *
 * It is written in the SAME transaction as the replica change it reflects (the snapshot
 * switch in `replaceAll`, the delta in `applyChanges`), as a record of the `meta` store,
 * and it names the replica generation it was built from (store + checksum). A record
 * that doesn't match the replica in force — older format, other store, other checksum,
 * missing — is never trusted: it is rebuilt from the replica itself. So the index can't
 * claim a suspect the replica no longer has.
 */
import type { RequesterKey } from '../core/requester-key.js';
import type { SuspectTask } from '../core/summary.js';
import { decodeSummary, type EncodedSummary } from '../core/summary-codec.js';
import { DEFAULT_RULES } from '../core/rules.js';
import type { Checksum } from '../core/sync-protocol.js';
import { db, readMeta, type ReplicaStore, type SyncMeta } from './db.js';
import { allRows } from './replica-rows.js';

/** Bumped when the record's shape changes: an older record is rebuilt, never read. */
export const SUSPECT_INDEX_FORMAT = 1;
const RECORD_KEY = 'suspects';

export interface SuspectRequester {
  requester: RequesterKey;
  name: string;
  tasks: SuspectTask[];
}

export interface SuspectIndexRecord {
  format: number;
  /** The replica generation this was built from: valid only while the meta record says the same. */
  store: ReplicaStore;
  checksum: Checksum;
  requesters: Record<RequesterKey, SuspectRequester>;
}

/** The meta store holds SyncMeta under 'sync'; this record shares it (see above for why). */
interface MetaStoreLike {
  get(key: string): Promise<unknown>;
  put(value: unknown, key: string): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}
interface MetaTx {
  objectStore(name: 'meta'): unknown;
}
const metaStore = (tx: MetaTx) => tx.objectStore('meta') as MetaStoreLike;

/** The suspect tasks of one encoded row, or null when it has none (nearly every row). */
function suspectOf(row: EncodedSummary): SuspectRequester | null {
  if (row.length < 9 || !row[8] || row[8].length === 0) return null;
  // The rules only shape ratings, which are not read here.
  const summary = decodeSummary(row, DEFAULT_RULES);
  return { requester: row[0], name: row[1], tasks: summary.suspectTasks };
}

function suspectsOfRows(rows: Iterable<EncodedSummary>): Record<RequesterKey, SuspectRequester> {
  const requesters: Record<RequesterKey, SuspectRequester> = {};
  for (const row of rows) {
    const suspect = suspectOf(row);
    if (suspect) requesters[row[0]] = suspect;
  }
  return requesters;
}

function sameGeneration(record: SuspectIndexRecord | undefined, meta: Pick<SyncMeta, 'active' | 'checksum'>): record is SuspectIndexRecord {
  return (
    record !== undefined &&
    record !== null &&
    typeof record === 'object' &&
    record.format === SUSPECT_INDEX_FORMAT &&
    record.store === meta.active &&
    record.checksum.rows === meta.checksum.rows &&
    record.checksum.sum === meta.checksum.sum
  );
}

/**
 * Inside `replaceAll`'s switch transaction: the index of the snapshot being switched to.
 * `next` is the sync record written in the same transaction.
 */
export async function writeSuspectIndexForSnapshot(tx: MetaTx, rows: readonly EncodedSummary[], next: SyncMeta): Promise<void> {
  const record: SuspectIndexRecord = { format: SUSPECT_INDEX_FORMAT, store: next.active, checksum: next.checksum, requesters: suspectsOfRows(rows) };
  await metaStore(tx).put(record, RECORD_KEY);
}

/**
 * Inside `applyChanges`' transaction: folds the changed rows (null = removed) into the
 * index of the generation `before`. An index that wasn't of that generation is dropped
 * instead (rebuilt on next read): patching an index of unknown provenance could keep a
 * suspect the replica lost.
 */
export async function updateSuspectIndexForChanges(
  tx: MetaTx,
  latest: ReadonlyMap<RequesterKey, EncodedSummary | null>,
  before: SyncMeta,
  next: SyncMeta,
): Promise<void> {
  const store = metaStore(tx);
  let record = (await store.get(RECORD_KEY)) as SuspectIndexRecord | undefined;
  // An empty replica (the first rows put in) has an empty index whatever is stored.
  if (before.checksum.rows === 0) record = { format: SUSPECT_INDEX_FORMAT, store: before.active, checksum: before.checksum, requesters: {} };
  if (!sameGeneration(record, before)) {
    if (record !== undefined) await store.delete(RECORD_KEY);
    return;
  }
  for (const [key, row] of latest) {
    const suspect = row ? suspectOf(row) : null;
    if (suspect) record.requesters[key] = suspect;
    else delete record.requesters[key];
  }
  await store.put({ ...record, store: next.active, checksum: next.checksum }, RECORD_KEY);
}

/**
 * Scans the whole replica (the slow path: a missing or stale index) and stores the
 * result, unless the replica changed during the scan — then it scans again.
 */
async function rebuild(): Promise<SuspectRequester[]> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const before = await readMeta();
    const rows: EncodedSummary[] = [];
    for await (const chunk of allRows()) for (const row of chunk) if (row.length >= 9) rows.push(row);
    const record: SuspectIndexRecord = { format: SUSPECT_INDEX_FORMAT, store: before.active, checksum: before.checksum, requesters: suspectsOfRows(rows) };
    const tx = (await db()).transaction('meta', 'readwrite');
    const now = (await tx.store.get('sync')) ?? before;
    const unchanged = sameGeneration(record, now);
    if (unchanged) await metaStore(tx).put(record, RECORD_KEY);
    await tx.done;
    if (unchanged) return Object.values(record.requesters);
  }
  throw new Error('the replica kept changing while the suspect index was rebuilt');
}

/** Every requester of the replica in force with suspect task groups. */
export async function readSuspects(): Promise<SuspectRequester[]> {
  const tx = (await db()).transaction('meta');
  const [meta, record] = await Promise.all([tx.store.get('sync'), metaStore(tx).get(RECORD_KEY) as Promise<SuspectIndexRecord | undefined>]);
  await tx.done;
  if (!meta) return []; // no replica yet
  if (sameGeneration(record, meta)) return Object.values(record.requesters);
  return rebuild();
}
