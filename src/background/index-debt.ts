/**
 * What the badge index still owes the replica, kept in IndexedDB so that a background
 * stopped at any moment loses nothing. Each replica write counts itself (`written`) in
 * its own transaction, so the count commits with the rows or not at all; once the write
 * listeners (the badge index) have finished with every write up to some count, `mended`
 * moves up to it. At start, `written > mended` means a write's mending was cut off (the
 * background was stopped after the write committed and before the index was stored, or
 * while a sync still held its notices): replica.ts tells the listeners again.
 *
 * Two counters, never reset, rather than a flag cleared when done: a flag cleared by an
 * older write's mending could erase a newer write's debt.
 *
 * The record shares the meta store with the sync record (like the suspect index, see
 * suspects.ts), so the replica write's transaction covers it without a schema change.
 */
import { db } from './db.js';

const RECORD_KEY = 'index-debt';

interface IndexDebt {
  written: number;
  mended: number;
}

/** The meta store as this module uses it: its own record beside 'sync'. */
interface MetaStoreLike {
  get(key: string): Promise<unknown>;
  put(value: unknown, key: string): Promise<unknown>;
}
interface MetaTx {
  objectStore(name: 'meta'): unknown;
}
const metaStore = (tx: MetaTx) => tx.objectStore('meta') as MetaStoreLike;

const count = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0);

/** Anything unreadable counts as no debt: the next write starts counting again. */
function debtOf(stored: unknown): IndexDebt {
  const record = (stored ?? {}) as Partial<Record<keyof IndexDebt, unknown>>;
  return { written: count(record.written), mended: count(record.mended) };
}

/** Inside a replica write's transaction (which must include the meta store): counts it; returns its number. */
export async function countReplicaWrite(tx: MetaTx): Promise<number> {
  const store = metaStore(tx);
  const debt = debtOf(await store.get(RECORD_KEY));
  const written = debt.written + 1;
  await store.put({ ...debt, written }, RECORD_KEY);
  return written;
}

/** Every write up to number `written` is mended. */
export async function settleReplicaWrites(written: number): Promise<void> {
  const tx = (await db()).transaction('meta', 'readwrite');
  const store = metaStore(tx);
  const debt = debtOf(await store.get(RECORD_KEY));
  // Never past `written`: after local data was cleared (the record gone), an older count
  // settling late must not cover the new record's writes.
  if (written > debt.mended && written <= debt.written) await store.put({ ...debt, mended: written }, RECORD_KEY);
  await tx.done;
}

/** The newest write whose mending is owed, or null when nothing is. */
export async function owedReplicaWrite(): Promise<number | null> {
  const tx = (await db()).transaction('meta');
  const debt = debtOf(await metaStore(tx).get(RECORD_KEY));
  await tx.done;
  return debt.written > debt.mended ? debt.written : null;
}
