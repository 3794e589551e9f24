/**
 * The badge index in this tab (core/badge-index.ts). At start it reads only the small
 * meta; the shards of the requesters on the page are read when a scan first asks for
 * them — a task list needs a few kilobytes, never the whole index — and the page is
 * scanned again once they are in (`onShardsRead`). Everything comes straight from
 * extension storage (no background round trip, so it works while the background
 * sleeps), and follows the background's writes: a changed meta (settings) or a changed
 * shard this tab holds replaces what it had. Anything that doesn't validate is ignored:
 * those requesters wait for the background's answers, as they would without an index.
 */
import { BADGE_INDEX_META_KEY, BriefReader, Shard, shardKey, shardOf, shardOfKey, StoredBadgeIndexMeta } from '../core/badge-index.js';
import { fnv1a32 } from '../core/hash.js';
import type { Platform, RequesterKey } from '../core/requester-key.js';
import { ext } from '../ui/extension-api.js';
import type { BadgeHints } from './page-watcher.js';

export interface HintSource {
  current(): BadgeHints | null;
  /** Resolves once the meta was read (with or without an index). */
  ready: Promise<void>;
}

/** A shard being read, read (null: not stored or broken: its requesters wait for answers). */
type ShardState = Shard | null | 'reading';

/**
 * `onReplaced` runs after the background wrote a new index, meta or shards (not after
 * the first read); `onShardsRead` after shards a scan asked for came in.
 */
export function watchBadgeHints(platform: Platform, onReplaced: () => void, onShardsRead: () => void): HintSource {
  let meta: StoredBadgeIndexMeta | null = null;
  let reader: BriefReader | null = null;
  let hints: BadgeHints | null = null;
  const shards = new Map<number, ShardState>();
  let toRead: number[] = [];
  let replaced = false;

  const decode = (shard: number, stored: unknown): Shard | null => {
    if (stored === '') return Shard.EMPTY;
    try {
      return Shard.decode(stored, shard);
    } catch {
      return null;
    }
  };

  /** Reads the shards asked for in this task, in one storage call. */
  const readShards = () => {
    const wanted = toRead;
    toRead = [];
    ext.storage.local
      .get(wanted.map(shardKey))
      .then((stored) => {
        for (const shard of wanted) if (shards.get(shard) === 'reading') shards.set(shard, decode(shard, stored[shardKey(shard)]));
      })
      .catch(() => {
        for (const shard of wanted) if (shards.get(shard) === 'reading') shards.set(shard, null);
      })
      .finally(onShardsRead);
  };

  const brief = (key: RequesterKey) => {
    const hash = fnv1a32(key);
    const shard = shardOf(hash);
    const state = shards.get(shard);
    if (state instanceof Shard) return reader!.brief(key, hash, state);
    if (state === undefined) {
      shards.set(shard, 'reading');
      if (toRead.push(shard) === 1) queueMicrotask(readShards);
    }
    return null;
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
      // Only shards this tab holds are worth decoding; others are read when asked for.
      if (shard !== null && shards.has(shard)) {
        shards.set(shard, decode(shard, change?.newValue));
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
  const ready = ext.storage.local
    .get(BADGE_INDEX_META_KEY)
    .then((stored) => {
      if (!replaced) useMeta(stored[BADGE_INDEX_META_KEY]);
    })
    .catch(() => undefined);
  return { current: () => hints, ready };
}
