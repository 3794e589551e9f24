/**
 * The badge index: every requester in the local replica as one entry of four 32-bit
 * words — [hash of the key, packed badge brief, lowest rating mean, hourly pay to compare]
 * — split into 4,096 *shards* by the top 12 bits of the hash, each stored under its own
 * extension-storage key. 100,000 requesters make about 24 entries a shard.
 *
 * Why shards: a tab reads only the shards of the requesters on its page (a few kilobytes
 * for a task list), never the whole index, so page start costs the same at 100k
 * requesters as at 100; and a change to 1,000 requesters rewrites only their shards.
 *
 * Why raw figures: an entry holds nothing that depends on the worker's settings. Its
 * brief is judged without the worker's minimums, and the two figures those minimums are
 * compared with (the lowest counted rating mean and the hourly pay a pay minimum applies
 * to) ride along; the tab compares them with the thresholds kept in the index's *meta*
 * (with the blocklist, platforms and filter mode). So a settings change rewrites only
 * the meta, a few hundred bytes, and every brief is still exactly what the full answer
 * would say (`withSettings`, tested against `assess`).
 *
 * It is a hint, never the last word: every requester on a page is still looked up in
 * the replica through the background, and that answer replaces the brief. A key that
 * merely hashes like an indexed one (about 1 in 40,000 at 100k requesters) shows a
 * wrong badge only until the answer arrives. Keys of the replica that hash alike are
 * stored as AMBIGUOUS: those requesters wait for the answer.
 */
import * as z from 'zod/mini';
import { AMBIGUOUS, UNKNOWN_BRIEF, unpackBrief, type BadgeBrief } from './badge-brief.js';
import { fnv1a32 } from './hash.js';
import { perPlatform } from './platforms.js';
import { RequesterKey } from './requester-key.js';
import { Thresholds } from './rules.js';

/** The meta's storage key; shard n is under `shardKey(n)`. (Format 1 kept it all under 'badgeIndex'.) */
export const BADGE_INDEX_META_KEY = 'badgeIndex.meta';
export const LEGACY_BADGE_INDEX_KEY = 'badgeIndex';
export const SHARD_BITS = 12;
export const SHARD_COUNT = 1 << SHARD_BITS;
const SHARD_PREFIX = 'badgeIndex.';

export function shardOf(hash: number): number {
  return hash >>> (32 - SHARD_BITS);
}
export function shardKey(shard: number): string {
  return SHARD_PREFIX + shard.toString(16).padStart(3, '0');
}
/** The shard number of a storage key, or null when the key is not a shard's. */
export function shardOfKey(key: string): number | null {
  if (!key.startsWith(SHARD_PREFIX) || key.length !== SHARD_PREFIX.length + 3) return null;
  const shard = Number.parseInt(key.slice(SHARD_PREFIX.length), 16);
  return Number.isInteger(shard) && shard >= 0 && shard < SHARD_COUNT ? shard : null;
}

/** What the tab needs besides the shards: the settings the briefs are finished with. */
export const StoredBadgeIndexMeta = z.object({
  format: z.literal(2),
  shardBits: z.literal(SHARD_BITS),
  /** Bumped by every write: a full build, an update, a settings change. */
  version: z.int().check(z.nonnegative()),
  builtAt: z.int().check(z.nonnegative()),
  requesters: z.int().check(z.nonnegative()),
  platforms: z.object(perPlatform(() => z.boolean())),
  filterMode: z.enum(['hide', 'dim', 'off']),
  thresholds: Thresholds,
  blocked: z.array(RequesterKey),
});
export type StoredBadgeIndexMeta = z.infer<typeof StoredBadgeIndexMeta>;

/** One requester's entry: its brief without the worker's settings, and the figures they apply to. */
export interface IndexEntry {
  /** packBrief of the brief judged with no minimums and not blocked. */
  brief: number;
  /** Lowest shrunk mean of the counted rating dimensions; NaN when none counts. */
  ratingMin: number;
  /** Cents per hour a pay minimum applies to (enough tasks); -1 when none does. */
  payCents: number;
}

/** Minimums that hold nothing back: what entries are judged with (background/badge-index.ts entryOf). */
export const NO_THRESHOLDS: Thresholds = { minHourlyCents: {}, minRating: null };

/** The settings a tab finishes briefs with. */
export interface BriefSettings {
  thresholds: Thresholds;
  blocked: ReadonlySet<RequesterKey>;
}

/**
 * The brief the full answer would give, from an entry's settings-free brief and figures:
 * under a minimum makes a level-less or ok requester a caution (as `assess` does), and
 * a small sample's count is said only while there is no level.
 */
export function withSettings(base: BadgeBrief, ratingMin: number, payCents: number, thresholds: Thresholds, blocked: boolean): BadgeBrief {
  const payMinimum = base.pay ? thresholds.minHourlyCents[base.pay.currency] : undefined;
  const low = (payCents >= 0 && payMinimum !== undefined && payCents < payMinimum) || (thresholds.minRating !== null && ratingMin < thresholds.minRating);
  if (!low && !blocked) return base;
  const brief: BadgeBrief = { ...base, blocked, belowMinimums: low };
  if (low && (base.level === 'ok' || base.level === 'unknown')) {
    brief.level = 'caution';
    delete brief.sample;
  }
  return brief;
}

const WORDS = 4;

/**
 * A shard's stored form: base64 of its entries as little-endian words, sorted by hash;
 * keys that hash alike share one AMBIGUOUS entry.
 */
export function encodeShard(entries: Iterable<readonly [hash: number, entry: IndexEntry]>): string {
  const byHash = new Map<number, IndexEntry | null>();
  for (const [hash, entry] of entries) byHash.set(hash, byHash.has(hash) ? null : entry);
  const hashes = [...byHash.keys()].sort((a, b) => a - b);
  const words = new Uint32Array(hashes.length * WORDS);
  const floats = new Float32Array(words.buffer);
  hashes.forEach((hash, i) => {
    const entry = byHash.get(hash);
    words[i * WORDS] = hash;
    words[i * WORDS + 1] = entry ? entry.brief : AMBIGUOUS;
    floats[i * WORDS + 2] = entry ? entry.ratingMin : Number.NaN;
    words[i * WORDS + 3] = entry && entry.payCents >= 0 ? entry.payCents : 0xffffffff;
  });
  return toBase64(new Uint8Array(words.buffer));
}

/**
 * The stored shards of `entries` (key → entry), by shard number. Shards without
 * entries are absent: an absent shard is an empty one.
 */
export function encodeShards(entries: Iterable<readonly [RequesterKey, IndexEntry]>): Map<number, string> {
  const byShard = new Map<number, [number, IndexEntry][]>();
  for (const [key, entry] of entries) {
    const hash = fnv1a32(key);
    const shard = shardOf(hash);
    const list = byShard.get(shard);
    if (list) list.push([hash, entry]);
    else byShard.set(shard, [[hash, entry]]);
  }
  return new Map([...byShard].map(([shard, list]) => [shard, encodeShard(list)]));
}

/** One shard as read: lookups by hash without unpacking the rest. */
export class Shard {
  private constructor(
    private readonly words: Uint32Array,
    private readonly floats: Float32Array,
  ) {}

  /** Reads a stored shard; throws (and the caller goes without) when it is not one, or not `shard`'s. */
  static decode(base64: unknown, shard: number): Shard {
    if (typeof base64 !== 'string') throw new Error('badge index: shard is not text');
    const bytes = fromBase64(base64);
    if (bytes.length % (WORDS * 4) !== 0) throw new Error('badge index: not whole entries');
    const buffer = bytes.byteOffset % 4 === 0 ? bytes.buffer : bytes.slice().buffer;
    const offset = bytes.byteOffset % 4 === 0 ? bytes.byteOffset : 0;
    const words = new Uint32Array(buffer, offset, bytes.length / 4);
    for (let i = 0; i < words.length; i += WORDS) {
      if (shardOf(words[i]!) !== shard) throw new Error('badge index: entry in the wrong shard');
      if (i > 0 && words[i]! <= words[i - WORDS]!) throw new Error('badge index: not sorted');
    }
    return new Shard(words, new Float32Array(buffer, offset, words.length));
  }

  static readonly EMPTY = new Shard(new Uint32Array(0), new Float32Array(0));

  get size(): number {
    return this.words.length / WORDS;
  }

  /** The entry for `hash`: undefined when absent, null when ambiguous. */
  entry(hash: number): IndexEntry | null | undefined {
    let low = 0;
    let high = this.words.length / WORDS - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.words[middle * WORDS]!;
      if (found === hash) {
        const brief = this.words[middle * WORDS + 1]!;
        if (brief === AMBIGUOUS) return null;
        const pay = this.words[middle * WORDS + 3]!;
        return { brief, ratingMin: this.floats[middle * WORDS + 2]!, payCents: pay === 0xffffffff ? -1 : pay };
      }
      if (found < hash) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** The hashes it holds, in order (the background's updates: shardEntries). */
  hashes(): number[] {
    return Array.from({ length: this.size }, (_, i) => this.words[i * WORDS]!);
  }
}

/** Every entry of a shard, for the background's updates: [hash, entry or null when ambiguous]. */
export function shardEntries(shard: Shard): [number, IndexEntry | null][] {
  return shard.hashes().map((hash) => [hash, shard.entry(hash) ?? null]);
}

/**
 * Briefs for a tab: the shards it has read and the settings from the meta. Briefs are
 * never changed in place, so requesters with the same entry share one unpacked brief.
 */
export class BriefReader {
  private readonly unpacked = new Map<number, BadgeBrief>();
  private readonly finished = new Map<string, BadgeBrief>();

  constructor(private readonly settings: BriefSettings) {}

  /** The brief for `key` from its shard; "no reviews yet" when absent; null when ambiguous. */
  brief(key: RequesterKey, hash: number, shard: Shard): BadgeBrief | null {
    const entry = shard.entry(hash);
    const blocked = this.settings.blocked.has(key);
    if (entry === null) return null;
    if (entry === undefined) return blocked ? { ...UNKNOWN_BRIEF, blocked } : UNKNOWN_BRIEF;
    let base = this.unpacked.get(entry.brief);
    if (!base) {
      base = unpackBrief(entry.brief);
      if (this.unpacked.size >= UNPACKED_MAX) this.unpacked.clear();
      this.unpacked.set(entry.brief, base);
    }
    if (blocked) return withSettings(base, entry.ratingMin, entry.payCents, this.settings.thresholds, true);
    const id = `${entry.brief}:${entry.ratingMin}:${entry.payCents}`;
    let brief = this.finished.get(id);
    if (!brief) {
      brief = withSettings(base, entry.ratingMin, entry.payCents, this.settings.thresholds, false);
      if (this.finished.size >= UNPACKED_MAX) this.finished.clear();
      this.finished.set(id, brief);
    }
    return brief;
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
