/**
 * The badge index: every requester in the local replica (and on the worker's blocklist)
 * as a pair of 32-bit numbers, [hash of the key, packed badge brief], sorted by hash.
 * 100,000 requesters take 800 KB. The background builds it whenever the replica, the
 * settings or the rules change and keeps it in extension storage; the content script
 * reads it at document start and answers "which badge?" synchronously, so badges are
 * drawn in the same task that added the rows. Nothing about the page leaves the tab.
 *
 * It is a hint, never the last word: every requester on a page is still looked up in
 * the replica through the background, and that answer replaces the brief. So a key
 * that merely hashes like an indexed one (about 1 in 40,000 at 100k requesters) shows a
 * wrong badge only for the milliseconds until the answer arrives. Keys of the replica
 * that hash alike are stored as AMBIGUOUS: those requesters wait for the answer.
 */
import * as z from 'zod/mini';
import { AMBIGUOUS, packBrief, UNKNOWN_BRIEF, unpackBrief, type BadgeBrief } from './badge-brief.js';
import { fnv1a32 } from './hash.js';
import type { RequesterKey } from './requester-key.js';

/** The extension-storage key the index is kept under. */
export const BADGE_INDEX_STORAGE_KEY = 'badgeIndex';

/** What is stored: the index and the settings a content script needs to act on it alone. */
export const StoredBadgeIndex = z.object({
  format: z.literal(1),
  builtAt: z.int().check(z.nonnegative()),
  requesters: z.int().check(z.nonnegative()),
  platforms: z.object({ mturk: z.boolean(), prolific: z.boolean() }),
  filterMode: z.enum(['hide', 'dim', 'off']),
  /** Base64 of the little-endian Uint32 pairs. */
  pairs: z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/)),
});
export type StoredBadgeIndex = z.infer<typeof StoredBadgeIndex>;

/**
 * The stored form of an index of `entries`: base64 of the sorted pairs. A free function
 * (not a method) so the content script, which only reads indexes, doesn't carry it.
 */
export function encodeBadgeIndex(entries: Iterable<readonly [RequesterKey, BadgeBrief]>): { pairs: string; size: number } {
  const byHash = new Map<number, number>();
  for (const [key, brief] of entries) {
    const hash = fnv1a32(key);
    byHash.set(hash, byHash.has(hash) ? AMBIGUOUS : packBrief(brief));
  }
  const hashes = [...byHash.keys()].sort((a, b) => a - b);
  const pairs = new Uint32Array(hashes.length * 2);
  hashes.forEach((hash, i) => {
    pairs[i * 2] = hash;
    pairs[i * 2 + 1] = byHash.get(hash)!;
  });
  return { pairs: toBase64(new Uint8Array(pairs.buffer)), size: hashes.length };
}

export class BadgeIndex {
  private constructor(private readonly pairs: Uint32Array) {}

  /** Reads stored pairs; throws (and the caller goes without) when they are not a valid index. */
  static decode(base64: string): BadgeIndex {
    const bytes = fromBase64(base64);
    if (bytes.length % 8 !== 0) throw new Error('badge index: not whole pairs');
    const pairs = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    for (let i = 2; i < pairs.length; i += 2) if (pairs[i]! <= pairs[i - 2]!) throw new Error('badge index: not sorted');
    return new BadgeIndex(pairs);
  }

  get size(): number {
    return this.pairs.length / 2;
  }

  /** The brief for `key`; "no reviews yet" when it isn't indexed; null when ambiguous. */
  brief(key: RequesterKey): BadgeBrief | null {
    const packed = this.packed(fnv1a32(key));
    if (packed === undefined) return UNKNOWN_BRIEF;
    if (packed === AMBIGUOUS) return null;
    // Briefs are never changed in place, so requesters with the same packed brief share one.
    let brief = this.unpacked.get(packed);
    if (!brief) {
      brief = unpackBrief(packed);
      if (this.unpacked.size >= UNPACKED_MAX) this.unpacked.clear();
      this.unpacked.set(packed, brief);
    }
    return brief;
  }
  private readonly unpacked = new Map<number, BadgeBrief>();

  private packed(hash: number): number | undefined {
    let low = 0;
    let high = this.pairs.length / 2 - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.pairs[middle * 2]!;
      if (found === hash) return this.pairs[middle * 2 + 1];
      if (found < hash) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }
}

const CHUNK = 0x8000;
const UNPACKED_MAX = 10_000;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native) return native(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
