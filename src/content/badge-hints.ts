/**
 * The badge index in this tab: read from extension storage at start (no background
 * round trip, so it works while the background sleeps) and replaced whenever the
 * background stores a new one. Anything that doesn't validate is ignored: the page then
 * waits for the background's answers, as it would without an index.
 */
import { BADGE_INDEX_STORAGE_KEY, BadgeIndex, StoredBadgeIndex } from '../core/badge-index.js';
import type { Platform } from '../core/requester-key.js';
import { ext } from '../ui/extension-api.js';
import type { BadgeHints } from './page-watcher.js';

export interface HintSource {
  current(): BadgeHints | null;
  /** Resolves once the first read finished (with or without an index). */
  ready: Promise<void>;
}

function hintsFrom(value: unknown, platform: Platform): BadgeHints | null {
  const stored = StoredBadgeIndex.safeParse(value);
  if (!stored.success) return null;
  try {
    const index = BadgeIndex.decode(stored.data.pairs);
    return { enabled: stored.data.platforms[platform], filterMode: stored.data.filterMode, size: index.size, brief: (key) => index.brief(key) };
  } catch {
    return null;
  }
}

/** `onReplaced` runs after a new index arrived (not after the first read). */
export function watchBadgeHints(platform: Platform, onReplaced: () => void): HintSource {
  let hints: BadgeHints | null = null;
  let replaced = false;
  ext.storage.onChanged.addListener((changes, area) => {
    const change = changes[BADGE_INDEX_STORAGE_KEY];
    if (area !== 'local' || !change) return;
    replaced = true;
    hints = hintsFrom(change.newValue, platform);
    onReplaced();
  });
  const ready = ext.storage.local
    .get(BADGE_INDEX_STORAGE_KEY)
    .then((stored) => {
      if (!replaced) hints = hintsFrom(stored[BADGE_INDEX_STORAGE_KEY], platform);
    })
    .catch(() => undefined);
  return { current: () => hints, ready };
}
