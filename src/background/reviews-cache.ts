/**
 * Review texts, fetched by a short hash prefix of the requester key so the server learns
 * only a bucket of many requesters, never which one the worker opened. Cached an hour.
 */
import type { RequesterKey } from '../core/requester-key.js';
import { BucketBody, bucketPrefix, type PublicReview } from '../core/sync-protocol.js';
import { describeIssues } from '../core/validation.js';
import { db, readMeta } from './db.js';
import { callServer, readJson, ServerError } from './server-api.js';

const CACHE_MS = 60 * 60 * 1000;

export async function reviewsFor(key: RequesterKey): Promise<PublicReview[]> {
  const { bucketPrefixLength } = await readMeta();
  const prefix = await bucketPrefix(key, bucketPrefixLength);
  const database = await db();
  let cached = await database.get('buckets', prefix);
  if (!cached || Date.now() - cached.fetchedAt > CACHE_MS) {
    const body = BucketBody.safeParse(await readJson(await callServer(`/v1/buckets?prefix=${prefix}`)));
    if (!body.success) throw new ServerError(`The server sent reviews Lantern can't read (${describeIssues(body.error)}).`, 200);
    cached = { prefix, fetchedAt: Date.now(), body: body.data };
    await database.put('buckets', cached);
  }
  return cached.body.requesters.find((r) => r.key === key)?.reviews ?? [];
}

/**
 * Drops cached review texts of these requesters (every cached bucket that holds them,
 * whatever prefix length it was fetched at): after the author's delivery, or a sync that
 * changed their rows, an hour-old list would contradict the counts beside it.
 */
export async function forgetReviewTexts(keys: readonly RequesterKey[]): Promise<void> {
  if (keys.length === 0) return;
  const database = await db();
  const prefixes = await database.getAllKeys('buckets');
  if (prefixes.length === 0) return;
  // The whole SHA-256 in hex: every prefix a bucket could have been fetched under.
  const hashes = await Promise.all(keys.map((key) => bucketPrefix(key, 64)));
  const stale = prefixes.filter((prefix) => hashes.some((hash) => hash.startsWith(prefix)));
  if (stale.length === 0) return;
  const tx = database.transaction('buckets', 'readwrite');
  await Promise.all([...stale.map((prefix) => tx.store.delete(prefix)), tx.done]);
}

/** Drops every cached review text (after a snapshot: any requester may have changed). */
export async function forgetAllReviewTexts(): Promise<void> {
  await (await db()).clear('buckets');
}
