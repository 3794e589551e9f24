/**
 * The badge index in this tab (core/badge-index.ts). At start it reads only the meta
 * (thresholds, blocklist, size: well under a kilobyte), so a page load costs the same
 * whatever the index's size; a shard (a few dozen requesters of 4,096 shards) is read
 * and decoded the first time a requester of it is on the page. The rows that asked for
 * it are drawn again when it arrives (one storage read for every shard a scan missed,
 * a millisecond or two), and rows of shards already read get their badges in the very
 * task that added them. Everything comes straight from extension storage (no background
 * round trip, so it works while the background sleeps) and follows the background's
 * writes: a changed meta (settings) or shard replaces what the tab had. Anything that
 * doesn't validate is ignored: those requesters wait for the background's answers, as
 * they would without an index.
 */
import { BADGE_INDEX_META_KEY, BriefReader, Shard, SHARD_COUNT, shardKey, shardOf, shardOfKey, StoredBadgeIndexMeta } from '../core/badge-index.js';
import { TEST_HOOKS } from '../core/build-flags.js';
import { fnv1a32 } from '../core/hash.js';
import type { Platform, RequesterKey } from '../core/requester-key.js';
import { ext } from '../ui/extension-api.js';
import type { BadgeHints } from './page-watcher.js';

export interface HintSource {
  current(): BadgeHints | null;
  /** Resolves once the meta was read (with or without an index). */
  ready: Promise<void>;
  /** How many of the index's shards this tab holds (read, or known to be absent). */
  shardsHeld(): number;
  /** How long since the start read came back (what "open a while" counts from). */
  openMs(): number;
}

/**
 * A page still open this long after its start that then shows requesters of shards it
 * hasn't read is a page that keeps adding rows (a long-lived list, a live study list):
 * the rest of the index is read then, once, so its later rows get their badges in the
 * task that adds them. Pages reloaded sooner (page monitors) and single-page apps filling
 * in their first rows never pay for it.
 */
const WHOLE_INDEX_AFTER_MS = 5_000;

/**
 * In test builds, each synchronous piece of index work is a user-timing measure
 * ('lantern:index') the benchmark sums; never in a release (a page could see them).
 */
function timed<T>(work: () => T): T {
  if (!TEST_HOOKS) return work();
  const start = performance.now();
  try {
    return work();
  } finally {
    performance.measure('lantern:index', { start, end: performance.now() });
  }
}

/** A shard as stored (decoded on first use), decoded, null: not stored or broken (its requesters wait for answers), or undefined: not read yet. */
type ShardState = string | Shard | null | undefined;

/**
 * `onReplaced` runs after the background wrote a new index, meta or shards (not after
 * the first read); `onShardsRead` after shards a scan asked for arrived (draw again).
 */
export function watchBadgeHints(platform: Platform, onPage: readonly RequesterKey[], onReplaced: () => void, onShardsRead: () => void): HintSource {
  let meta: StoredBadgeIndexMeta | null = null;
  let reader: BriefReader | null = null;
  let hints: BadgeHints | null = null;
  const shards: ShardState[] = new Array<ShardState>(SHARD_COUNT);
  /** Bumped by each write the tab is told of: a read begun before it is older. */
  const writes = new Uint32Array(SHARD_COUNT);
  /** Shards asked for by this task's scans, read together in one storage call. */
  let wanted: Set<number> | null = null;
  /** Shards being read now: asked for once, however many scans miss them meanwhile. */
  const reading = new Uint8Array(SHARD_COUNT);
  let replaced = false;
  let startedAt = Infinity;
  let wholeRequested = false;

  const decode = (shard: number, stored: unknown): Shard | null => {
    if (stored === '') return Shard.EMPTY;
    try {
      return Shard.decode(stored, shard);
    } catch {
      return null;
    }
  };

  const keep = (shard: number, stored: unknown) => {
    shards[shard] = typeof stored === 'string' ? stored : null;
  };

  /** Reads that failed; after a few, unread shards are given up (their requesters wait for answers). */
  let failedReads = 0;
  /** A scan found a shard being read by a read that draws nothing when it lands (the whole index's). */
  let missedWhileReading = false;
  const failed = (batch: number[]) => {
    failedReads += 1;
    for (const shard of batch) {
      reading[shard] = 0;
      // Left unread, a later scan asks again; given up after a few failures (an extension
      // updated under an open page can no longer read its storage at all).
      if (failedReads >= 3) shards[shard] ??= null;
    }
  };

  const read = (batch: number[], redraw = true) => {
    const seen = batch.map((shard) => writes[shard]!);
    let asked: Promise<Record<string, unknown>>;
    try {
      asked = ext.storage.local.get(batch.map(shardKey));
    } catch {
      return failed(batch); // thrown, not rejected: the page must never see it
    }
    asked.then(
      (stored) => {
        batch.forEach((shard, i) => {
          reading[shard] = 0;
          // Written since the read began: asked again by the next scan that needs it.
          if (writes[shard] === seen[i]) keep(shard, stored[shardKey(shard)]);
        });
        if (redraw || missedWhileReading) {
          missedWhileReading = false;
          onShardsRead();
        }
      },
      () => failed(batch),
    );
  };

  const want = (shard: number) => {
    if (!wanted) {
      wanted = new Set();
      // After the scan that asked: one read for every shard it missed.
      queueMicrotask(() => {
        const batch = [...wanted!];
        wanted = null;
        read(batch);
        if (!wholeRequested && performance.now() - startedAt >= WHOLE_INDEX_AFTER_MS) {
          // The shards this scan needs first, then, in a read of its own, all the others.
          wholeRequested = true;
          const rest: number[] = [];
          for (let shard = 0; shard < SHARD_COUNT; shard++) {
            if (shards[shard] === undefined && !reading[shard]) {
              reading[shard] = 1;
              rest.push(shard);
            }
          }
          if (rest.length > 0) read(rest, false);
        }
      });
    }
    wanted.add(shard);
    reading[shard] = 1;
  };

  const brief = (key: RequesterKey) => {
    const hash = fnv1a32(key);
    const shard = shardOf(hash);
    let state = shards[shard];
    if (state === undefined) {
      if (!reading[shard]) want(shard);
      else missedWhileReading = true;
      return null;
    }
    if (typeof state === 'string') {
      const text = state;
      shards[shard] = state = timed(() => decode(shard, text));
    }
    return state instanceof Shard ? reader!.brief(key, hash, state) : null;
  };

  const useMeta = (value: unknown) => {
    const parsed = StoredBadgeIndexMeta.safeParse(value);
    meta = parsed.success ? parsed.data : null;
    reader = meta && new BriefReader({ thresholds: meta.thresholds, blocked: new Set(meta.blocked) });
    hints = meta && reader ? { enabled: meta.platforms[platform], filterMode: meta.filterMode, size: meta.requesters, brief } : null;
  };

  ext.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    let changed = false;
    for (const [key, change] of Object.entries(changes)) {
      const shard = shardOfKey(key);
      if (shard !== null) {
        writes[shard] = writes[shard]! + 1;
        // A shard this tab never needed stays unread: its new text is dropped, not kept.
        if (shards[shard] !== undefined) keep(shard, change?.newValue);
        changed = true;
      }
    }
    const metaChange = changes[BADGE_INDEX_META_KEY];
    if (metaChange) {
      replaced = true;
      useMeta(metaChange.newValue);
      changed = true;
    }
    if (changed) onReplaced();
  });
  // The meta, and the shards of the requesters on the page at start: one read, so the
  // first badges wait for no second round trip.
  const first = [...new Set(onPage.map((key) => shardOf(fnv1a32(key))))];
  for (const shard of first) reading[shard] = 1;
  const ready = ext.storage.local
    .get([BADGE_INDEX_META_KEY, ...first.map(shardKey)])
    .then((stored) =>
      timed(() => {
        if (!replaced) useMeta(stored[BADGE_INDEX_META_KEY]);
        for (const shard of first) if (writes[shard] === 0) keep(shard, stored[shardKey(shard)]);
      }),
    )
    .catch(() => undefined)
    .finally(() => {
      first.forEach((shard) => (reading[shard] = 0));
      startedAt = performance.now();
    });
  const shardsHeld = () => {
    let held = 0;
    for (let shard = 0; shard < SHARD_COUNT; shard++) if (shards[shard] !== undefined) held += 1;
    return held;
  };
  return { current: () => hints, ready, shardsHeld, openMs: () => (startedAt === Infinity ? 0 : performance.now() - startedAt) };
}
