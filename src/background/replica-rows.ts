/**
 * Reading the replica's stored buckets as rows: a bucket of either layout, and every row
 * of the active store. Its own module so that the suspect index (suspects.ts), which
 * replica.ts updates on every write, can scan the replica without importing replica.ts.
 */
import type { RequesterKey } from '../core/requester-key.js';
import type { EncodedSummary } from '../core/sync-protocol.js';
import { readSummaryText, summaryText, type EncodedSummaryText } from '../core/summary-text.js';
import { db, readMeta, REPLICA_BUCKETS, type ReplicaBucket } from './db.js';

export const BUCKETS_PER_TRANSACTION = 1024;

/** A bucket's rows in memory: each key's row text and its digest. */
export type BucketRows = Map<RequesterKey, [text: EncodedSummaryText, digest: number]>;

/** The rows of a stored bucket, of either layout (buckets written before issue 15 held tuples). */
export function rowsOf(record: ReplicaBucket | undefined): BucketRows {
  const rows: BucketRows = new Map();
  if (!record) return rows;
  if ('texts' in record) {
    const texts = record.texts.split('\n');
    record.keys.forEach((key, i) => rows.set(key, [texts[i]!, record.digests[i]!]));
  } else {
    for (const [key, [row, digest]] of Object.entries(record.rows)) rows.set(key as RequesterKey, [summaryText(row), digest]);
  }
  return rows;
}

/**
 * Every row of the replica, a few hundred buckets at a time (so lookups get their turn
 * between reads).
 */
export async function* allRows(): AsyncGenerator<EncodedSummary[]> {
  for await (const texts of allRowTexts()) yield texts.map(readSummaryText);
}

/** Every row's text, a few hundred buckets at a time. */
async function* allRowTexts(): AsyncGenerator<EncodedSummaryText[]> {
  const { active } = await readMeta();
  for (let start = 0; start < REPLICA_BUCKETS; start += BUCKETS_PER_TRANSACTION) {
    const records = await (await db()).getAll(active, IDBKeyRange.bound(start, start + BUCKETS_PER_TRANSACTION - 1));
    yield records.flatMap((record) => [...rowsOf(record).values()].map(([text]) => text));
  }
}

