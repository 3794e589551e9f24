/**
 * The local replica of the shared reputation database, in IndexedDB. Every badge is
 * answered from here, so looking at a task page tells no one anything.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RequesterKey } from '../core/requester-key.js';
import { RequesterSummary } from '../core/schemas.js';
import { describeIssues } from '../core/validation.js';

interface ReplicaSchema extends DBSchema {
  summaries: { key: RequesterKey; value: RequesterSummary };
  meta: { key: string; value: unknown };
}

export const REPLICA_DB = 'lantern-replica';

let dbPromise: Promise<IDBPDatabase<ReplicaSchema>> | null = null;

function db(): Promise<IDBPDatabase<ReplicaSchema>> {
  dbPromise ??= openDB<ReplicaSchema>(REPLICA_DB, 1, {
    upgrade(database) {
      database.createObjectStore('summaries', { keyPath: 'key' });
      database.createObjectStore('meta');
    },
  });
  return dbPromise;
}

/** Summaries for these keys; a key without a row maps to nothing. One transaction. */
export async function getSummaries(keys: readonly RequesterKey[]): Promise<Map<RequesterKey, RequesterSummary>> {
  const tx = (await db()).transaction('summaries');
  const rows = await Promise.all(keys.map((key) => tx.store.get(key)));
  await tx.done;
  const found = new Map<RequesterKey, RequesterSummary>();
  rows.forEach((row, i) => {
    if (row) found.set(keys[i]!, row);
  });
  return found;
}

/**
 * Writes summaries in one transaction: all of them or, if any is invalid, none.
 * This is the path sync takes; tests seed the replica through it too.
 */
export async function putSummaries(summaries: readonly unknown[]): Promise<number> {
  const valid: RequesterSummary[] = [];
  summaries.forEach((candidate, i) => {
    const parsed = RequesterSummary.safeParse(candidate);
    if (!parsed.success) throw new Error(`summaries.${i}: ${describeIssues(parsed.error)}`);
    valid.push(parsed.data);
  });
  const tx = (await db()).transaction('summaries', 'readwrite');
  await Promise.all([...valid.map((s) => tx.store.put(s)), tx.done]);
  return valid.length;
}

export async function countSummaries(): Promise<number> {
  return (await db()).count('summaries');
}
