/**
 * The badge index in this tab (core/badge-index.ts). At start it reads the meta and every
 * shard's stored text in one storage call and decodes none of them: a shard is decoded
 * (a few dozen entries) the first time a requester of it is on the page, so page start
 * costs no decoding of the whole index, and rows added later still get their badges in
 * the very task that added them (no storage round trip on the way). Everything comes
 * straight from extension storage (no background round trip, so it works while the
 * background sleeps) and follows the background's writes: a changed meta (settings) or
 * shard replaces what the tab had. Anything that doesn't validate is ignored: those
 * requesters wait for the background's answers, as they would without an index.
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
}

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

/** A shard as stored (decoded on first use), decoded, or null: not stored or broken (its requesters wait for answers). */
type ShardState = string | Shard | null;

const ALL_SHARD_KEYS = Array.from({ length: SHARD_COUNT }, (_, shard) => shardKey(shard));

/** `onReplaced` runs after the background wrote a new index, meta or shards (not after the first read). */
export function watchBadgeHints(platform: Platform, onReplaced: () => void): HintSource {
  let meta: StoredBadgeIndexMeta | null = null;
  let reader: BriefReader | null = null;
  let hints: BadgeHints | null = null;
  const shards: ShardState[] = new Array<ShardState>(SHARD_COUNT).fill(null);
  let replaced = false;

  const decode = (shard: number, stored: unknown): Shard | null => {
    if (stored === '') return Shard.EMPTY;
    try {
      return Shard.decode(stored, shard);
    } catch {
      return null;
    }
  };

  const brief = (key: RequesterKey) => {
    const hash = fnv1a32(key);
    const shard = shardOf(hash);
    let state: ShardState = shards[shard] ?? null;
    // Decoded the first time a requester of it is on the page: a page decodes a few dozen of 4,096.
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
  /** Shards a write told of before the first read came back: that read may be older. */
  const told = new Set<number>();
  const keep = (shard: number, stored: unknown) => {
    shards[shard] = typeof stored === 'string' ? stored : null;
  };

  ext.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    let changed = false;
    for (const [key, change] of Object.entries(changes)) {
      const shard = shardOfKey(key);
      if (shard !== null) {
        keep(shard, change?.newValue);
        told.add(shard);
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
  // Every shard's text in one read, none decoded yet: the page's own requesters' shards
  // are decoded when asked for, so badges are drawn in the task that adds their rows.
  const ready = ext.storage.local
    .get([BADGE_INDEX_META_KEY, ...ALL_SHARD_KEYS])
    .then((stored) =>
      timed(() => {
        if (!replaced) useMeta(stored[BADGE_INDEX_META_KEY]);
        ALL_SHARD_KEYS.forEach((key, shard) => {
          if (!told.has(shard)) keep(shard, stored[key]);
        });
      }),
    )
    .catch(() => undefined);
  return { current: () => hints, ready };
}
