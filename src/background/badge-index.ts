/**
 * Keeps the badge index (core/badge-index.ts) in extension storage in step with the
 * replica, the author's own reviews, the worker's settings and the rules — each change
 * costing what it changed:
 *
 * - a snapshot or a rules change: the whole index is built again (every brief may differ);
 * - changed requesters (a delta, an own review): only their shards are read, mended and
 *   written back, with the meta;
 * - a settings change (minimums, blocklist, platforms, filter mode): only the meta is
 *   written — entries hold no settings, the tab finishes briefs with the meta's.
 *
 * One write at a time; work asked for during one is folded into the next. Content
 * scripts read the index from storage themselves, so a task page gets its badges even
 * while this worker sleeps.
 */
import browser from 'webextension-polyfill';
import type { Assessment } from '../core/assessment.js';
import { briefOf, packBrief } from '../core/badge-brief.js';
import {
  BADGE_INDEX_META_KEY,
  encodeShard,
  encodeShards,
  LEGACY_BADGE_INDEX_KEY,
  NO_THRESHOLDS,
  Shard,
  shardEntries,
  SHARD_BITS,
  SHARD_COUNT,
  shardKey,
  shardOf,
  StoredBadgeIndexMeta,
  type IndexEntry,
} from '../core/badge-index.js';
import { RATING_DIMENSIONS } from '../core/fields.js';
import { fnv1a32 } from '../core/hash.js';
import { assess, shownPay } from '../core/rating.js';
import type { RequesterKey } from '../core/requester-key.js';
import type { Rules } from '../core/rules.js';
import type { RequesterSummary } from '../core/summary.js';
import { decodeSummary, type EncodedSummary } from '../core/summary-codec.js';
import { readSummaryText } from '../core/summary-text.js';
import type { Settings } from '../core/extension-state.js';
import { db, readMeta, REPLICA_BUCKETS } from './db.js';
import { overlaySummary } from './own-overlay-merge.js';
import { onOverlayChanged, overlayFor, overlayRequesters } from './own-overlay.js';
import { allRows, getRows, onReplicaWritten } from './replica.js';
import { getRules, getSettings } from './settings.js';

/**
 * A requester's entry: its brief judged without the worker's minimums and not blocked,
 * and the two figures the minimums are compared with (see core/badge-index.ts).
 */
export function entryOf(summary: RequesterSummary | null, rules: Rules): IndexEntry {
  const base: Assessment = assess(summary, NO_THRESHOLDS, rules);
  let ratingMin = Number.NaN;
  let payCents = -1;
  if (summary && base.sample) {
    for (const dimension of RATING_DIMENSIONS) {
      const { mean, tooFew } = summary.allTime.ratings[dimension];
      if (mean !== null && !tooFew && (Number.isNaN(ratingMin) || mean < ratingMin)) ratingMin = mean;
    }
    const pay = shownPay(summary, rules);
    if (pay?.enough) payCents = Math.round(pay.centsPerHour);
  }
  return { brief: packBrief(briefOf(summary, base, false)), ratingMin, payCents };
}

type Kind = 'full' | 'update' | 'meta';
export interface BadgeIndexBuild {
  kind: Kind;
  /** Requesters the index holds after this write. */
  rows: number;
  /** Requesters whose entries were computed (all of them for a full build). */
  computed: number;
  /** Shards written. */
  shards: number;
  ms: number;
  /** Where an update's time went: reading shards and rows, computing, writing. */
  phases?: { read: number; compute: number; write: number };
}

let lastBuild: BadgeIndexBuild | null = null;
let running: Promise<void> | null = null;
/** Work asked for and not yet begun. */
const pending = { full: false, meta: false, keys: new Set<RequesterKey>(), added: new Set<RequesterKey>(), unsure: new Set<RequesterKey>() };

function metaOf(settings: Settings, version: number, requesters: number): StoredBadgeIndexMeta {
  return {
    format: 2,
    shardBits: SHARD_BITS,
    version,
    builtAt: Date.now(),
    requesters,
    platforms: settings.platforms,
    filterMode: settings.filterMode,
    thresholds: settings.thresholds,
    blocked: settings.blocklist.map((entry) => entry.key),
  };
}

async function storedMeta(): Promise<StoredBadgeIndexMeta | null> {
  const stored = await browser.storage.local.get(BADGE_INDEX_META_KEY);
  const parsed = StoredBadgeIndexMeta.safeParse(stored[BADGE_INDEX_META_KEY]);
  return parsed.success ? parsed.data : null;
}

/** Summaries with the author's not-yet-confirmed reviews merged in (own-overlay.ts). */
type Overlay = Awaited<ReturnType<typeof overlayFor>>;
function summaryWithOverlay(summary: RequesterSummary | null, key: RequesterKey, own: Overlay, rules: Rules, now: number): RequesterSummary | null {
  const changes = own.get(key);
  return changes ? overlaySummary(summary, changes, rules, now) : summary;
}

async function buildAll(started: number): Promise<void> {
  const [settings, rules, meta] = await Promise.all([getSettings(), getRules(), storedMeta()]);
  const own = await overlayFor(await overlayRequesters());
  const now = Date.now();
  const entries: [RequesterKey, IndexEntry][] = [];
  for await (const rows of allRows()) {
    for (const row of rows) entries.push([row[0], entryOf(summaryWithOverlay(decodeSummary(row, rules), row[0], own, rules, now), rules)]);
  }
  const inReplica = new Set(entries.map(([key]) => key));
  for (const key of own.keys()) {
    const summary = inReplica.has(key) ? null : summaryWithOverlay(null, key, own, rules, now);
    if (summary) entries.push([key, entryOf(summary, rules)]);
  }
  const shards = encodeShards(entries);
  // Every shard is written, empty ones as '': a tab tells "empty" from "not stored yet".
  const items: Record<string, unknown> = {};
  for (let shard = 0; shard < SHARD_COUNT; shard++) items[shardKey(shard)] = shards.get(shard) ?? '';
  shardTexts.clear();
  const size = new Set(entries.map(([key]) => fnv1a32(key))).size;
  items[BADGE_INDEX_META_KEY] = metaOf(settings, (meta?.version ?? 0) + 1, size);
  await browser.storage.local.set(items);
  for (let shard = 0; shard < SHARD_COUNT; shard++) shardTexts.set(shard, shards.get(shard) ?? '');
  await browser.storage.local.remove(LEGACY_BADGE_INDEX_KEY);
  lastBuild = { kind: 'full', rows: size, computed: entries.length, shards: SHARD_COUNT, ms: performance.now() - started };
}

/**
 * Every replica row whose key hashes like one of `hashes`, in one read. Keys that hash
 * alike share a replica bucket too, so the changed keys' buckets hold them all. Buckets
 * of either layout (db.ts): rows as texts, one a line in `keys` order, or as tuples.
 */
async function rowsHashedLike(hashes: ReadonlySet<number>): Promise<Map<RequesterKey, EncodedSummary>> {
  const buckets = [...new Set([...hashes].map((hash) => hash % REPLICA_BUCKETS))];
  const { active } = await readMeta();
  const tx = (await db()).transaction(active);
  const records = await Promise.all(buckets.map((bucket) => tx.store.get(bucket)));
  await tx.done;
  const found = new Map<RequesterKey, EncodedSummary>();
  for (const record of records as unknown as ({ keys: RequesterKey[]; texts: string } | { rows: Record<RequesterKey, [EncodedSummary, number]> } | undefined)[]) {
    if (!record) continue;
    if ('keys' in record) {
      let texts: string[] | null = null;
      record.keys.forEach((key, i) => {
        if (hashes.has(fnv1a32(key))) found.set(key, readSummaryText((texts ??= record.texts.split('\n'))[i]!));
      });
    } else {
      for (const [key, [row]] of Object.entries(record.rows) as [RequesterKey, [EncodedSummary, number]][]) if (hashes.has(fnv1a32(key))) found.set(key, row);
    }
  }
  return found;
}

/**
 * The shards as this worker last wrote them (only the background writes them), so an
 * update reads storage only for shards it hasn't seen since it started.
 */
const shardTexts = new Map<number, string>();

async function readShardTexts(shards: readonly number[]): Promise<Map<number, string> | null> {
  const texts = new Map<number, string>();
  const missing = shards.filter((shard) => {
    const text = shardTexts.get(shard);
    if (text !== undefined) texts.set(shard, text);
    return text === undefined;
  });
  if (missing.length > 0) {
    const stored = await browser.storage.local.get(missing.map(shardKey));
    for (const shard of missing) {
      const text = stored[shardKey(shard)];
      if (typeof text !== 'string') return null;
      texts.set(shard, text);
    }
  }
  return texts;
}

/**
 * What a change says about the keys it names: `added` ones the replica did not hold
 * before; `unsure` ones (the author's own reviews) may or may not be in the replica.
 */
interface Change {
  keys: ReadonlySet<RequesterKey>;
  added: ReadonlySet<RequesterKey>;
  unsure: ReadonlySet<RequesterKey>;
}

/**
 * Mends the shards of the changed keys; false when there is no index to mend (build it
 * whole). Each changed hash gets what a whole build would give it. Keys that hash alike
 * share one AMBIGUOUS entry, so where the shard and the change can't tell who else holds
 * a hash (a removal of a key whose hash is indexed, an own review), the key's replica
 * bucket is read: keys that hash alike share it too.
 */
async function update({ keys, added, unsure }: Change, started: number): Promise<boolean> {
  const [settings, rules, meta] = await Promise.all([getSettings(), getRules(), storedMeta()]);
  if (!meta) return false;
  const hashOf = new Map([...keys].map((key) => [key, fnv1a32(key)]));
  const hashes = new Set(hashOf.values());
  const shardNumbers = [...new Set([...hashes].map(shardOf))];
  // The replica keeps the buckets it just wrote in memory: these rows cost no read.
  const [stored, rows, ownKeys] = await Promise.all([readShardTexts(shardNumbers), getRows([...keys]), overlayRequesters()]);
  if (!stored) return false;
  const own = await overlayFor(ownKeys.filter((key) => hashes.has(fnv1a32(key))));
  const old = new Map<number, IndexEntry | null>();
  const decoded = new Map(shardNumbers.map((shard) => [shard, shardEntries(Shard.decode(stored.get(shard)!, shard))]));
  for (const entries of decoded.values()) for (const [hash, entry] of entries) if (hashes.has(hash)) old.set(hash, entry);

  // Which keys hold each changed hash now, as far as the change tells.
  const holders = new Map<number, { present: RequesterKey[]; removed: boolean; unsure: boolean; added: boolean }>();
  const holderOf = (hash: number) => holders.get(hash) ?? holders.set(hash, { present: [], removed: false, unsure: false, added: false }).get(hash)!;
  for (const [key, hash] of hashOf) {
    const holder = holderOf(hash);
    if (rows.has(key) || own.has(key)) holder.present.push(key);
    else holder.removed = true;
    if (unsure.has(key)) holder.unsure = true;
    if (added.has(key)) holder.added = true;
  }
  for (const key of own.keys()) if (!hashOf.has(key)) holderOf(fnv1a32(key)).unsure = true;
  const unsureHashes = new Set([...holders].filter(([hash, h]) => h.unsure || (h.removed && old.has(hash))).map(([hash]) => hash));
  const bucketRows = unsureHashes.size > 0 ? await rowsHashedLike(unsureHashes) : new Map<RequesterKey, EncodedSummary>();
  const read = performance.now();

  const now = Date.now();
  const entryFor = (key: RequesterKey, row: EncodedSummary | undefined) => {
    const summary = summaryWithOverlay(row ? decodeSummary(row, rules) : null, key, own, rules, now);
    return summary ? entryOf(summary, rules) : null;
  };
  /** Each changed hash's entry now: absent (no key), an entry, or null (ambiguous). */
  const next = new Map<number, IndexEntry | null | undefined>();
  for (const [hash, holder] of holders) {
    if (unsureHashes.has(hash)) {
      const present = [...new Set([...[...bucketRows.keys()].filter((key) => fnv1a32(key) === hash), ...[...own.keys()].filter((key) => fnv1a32(key) === hash)])];
      next.set(hash, present.length === 0 ? undefined : present.length > 1 ? null : entryFor(present[0]!, bucketRows.get(present[0]!)) ?? undefined);
      continue;
    }
    const before = old.get(hash);
    // One key changed, not new: the entry was its own (had another key shared the hash, it would be ambiguous).
    const ambiguous = holder.present.length > 1 || before === null || (before !== undefined && holder.added);
    next.set(hash, holder.present.length === 0 ? undefined : ambiguous ? null : (entryFor(holder.present[0]!, rows.get(holder.present[0]!)) ?? undefined));
  }

  const changedIn = new Map<number, number[]>();
  for (const hash of hashes) changedIn.set(shardOf(hash), [...(changedIn.get(shardOf(hash)) ?? []), hash]);
  const items: Record<string, unknown> = {};
  let requesters = meta.requesters;
  const written = new Map<number, string>();
  for (const [shard, entries] of decoded) {
    const list: [number, IndexEntry][] = [];
    for (const [hash, entry] of entries) {
      if (hashes.has(hash)) continue;
      // An untouched ambiguous hash stays ambiguous: listed twice, it encodes as such.
      if (entry) list.push([hash, entry]);
      else list.push([hash, AMBIGUOUS_PLACEHOLDER], [hash, AMBIGUOUS_PLACEHOLDER]);
    }
    for (const hash of changedIn.get(shard) ?? []) {
      const entry = next.get(hash);
      if (entry === undefined) continue;
      if (entry) list.push([hash, entry]);
      else list.push([hash, AMBIGUOUS_PLACEHOLDER], [hash, AMBIGUOUS_PLACEHOLDER]);
    }
    written.set(shard, encodeShard(list));
    items[shardKey(shard)] = written.get(shard);
    requesters += new Set(list.map(([hash]) => hash)).size - entries.length;
  }
  items[BADGE_INDEX_META_KEY] = metaOf(settings, meta.version + 1, requesters);
  const computed = performance.now();
  await browser.storage.local.set(items);
  for (const [shard, text] of written) shardTexts.set(shard, text);
  const ms = performance.now() - started;
  lastBuild = { kind: 'update', rows: requesters, computed: keys.size, shards: shardNumbers.length, ms, phases: { read: read - started, compute: computed - read, write: ms - (computed - started) } };
  return true;
}
const AMBIGUOUS_PLACEHOLDER: IndexEntry = { brief: 0, ratingMin: Number.NaN, payCents: -1 };

/** Writes the meta alone (a settings change); false when there is no index yet. */
async function writeMetaOnly(started: number): Promise<boolean> {
  const [settings, meta] = await Promise.all([getSettings(), storedMeta()]);
  if (!meta) return false;
  await browser.storage.local.set({ [BADGE_INDEX_META_KEY]: metaOf(settings, meta.version + 1, meta.requesters) });
  lastBuild = { kind: 'meta', rows: meta.requesters, computed: 0, shards: 0, ms: performance.now() - started };
  return true;
}

const hasPending = () => pending.full || pending.meta || pending.keys.size > 0;

/** Runs until nothing is pending; `running` is cleared in the same step that finds nothing left. */
async function runPending(): Promise<void> {
  for (;;) {
    if (!hasPending()) {
      running = null;
      return;
    }
    const started = performance.now();
    const full = pending.full;
    const change: Change = { keys: new Set(pending.keys), added: new Set(pending.added), unsure: new Set(pending.unsure) };
    const meta = pending.meta;
    pending.full = false;
    pending.meta = false;
    pending.keys.clear();
    pending.added.clear();
    pending.unsure.clear();
    try {
      // A full build writes the meta too; an update writes it with its shards.
      if (full) await buildAll(started);
      else if (change.keys.size > 0) {
        if (!(await update(change, started))) await buildAll(started);
      } else if (meta && !(await writeMetaOnly(started))) await buildAll(started);
    } catch (error) {
      // Without an index pages still get badges, from lookups; say why in the console.
      console.warn('Lantern: badge index not written', error);
    }
  }
}

/** Starts the writer unless it runs; the promise resolves when nothing is pending. */
function schedule(): Promise<void> {
  if (!running && hasPending()) running = runPending();
  return running ?? Promise.resolve();
}

/** Builds the whole index again soon; resolves when it is stored. */
export function rebuildBadgeIndex(): Promise<void> {
  pending.full = true;
  pending.keys.clear();
  pending.added.clear();
  pending.unsure.clear();
  return schedule();
}

/** Mends the entries of `keys` soon (a full build pending covers them); resolves when stored. */
export function updateBadgeIndex(keys: Iterable<RequesterKey>, how: { added?: Iterable<RequesterKey>; unsure?: boolean } = {}): Promise<void> {
  if (!pending.full) {
    for (const key of keys) {
      pending.keys.add(key);
      if (how.unsure) pending.unsure.add(key);
    }
    for (const key of how.added ?? []) pending.added.add(key);
  }
  return schedule();
}

function updateBadgeIndexMeta(): Promise<void> {
  pending.meta = true;
  return schedule();
}

/** How the last write went, for the developer console and the benchmarks. */
export function badgeIndexStatus(): { building: boolean; last: BadgeIndexBuild | null } {
  return { building: running !== null, last: lastBuild };
}

/** Wires the writes: replica changes, own reviews, settings and rules; a build at start if none is stored. */
export function keepBadgeIndex(): void {
  // Returned: replica.ts keeps the background running until the index is stored.
  onReplicaWritten((changed, added) => (changed === 'all' ? rebuildBadgeIndex() : updateBadgeIndex(changed, { added })));
  // The overlay's requesters before and after a change: both may show differently now.
  let ownBefore: Promise<RequesterKey[]> = overlayRequesters().catch(() => []);
  onOverlayChanged(() => {
    const before = ownBefore;
    ownBefore = overlayRequesters().catch(() => []);
    void Promise.all([before, ownBefore]).then(([a, b]) => updateBadgeIndex([...a, ...b], { unsure: true }));
  });
  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    if ('rules' in changes) void rebuildBadgeIndex();
    else if ('settings' in changes) void updateBadgeIndexMeta();
  });
  // The worker starts often; read only the small meta.
  void storedMeta().then((meta) => {
    if (!meta) void rebuildBadgeIndex();
  });
}
