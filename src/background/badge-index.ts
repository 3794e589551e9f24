/**
 * Keeps the badge index (core/badge-index.ts) in extension storage in step with the
 * replica, the worker's settings and the rules: rebuilt after each of them changes, one
 * build at a time, changes during a build folded into one more. Content scripts read it
 * from storage themselves, so a task page gets its badges even while this worker sleeps.
 */
import browser from 'webextension-polyfill';
import { briefOf } from '../core/badge-brief.js';
import { BADGE_INDEX_STORAGE_KEY, encodeBadgeIndex, type StoredBadgeIndex } from '../core/badge-index.js';
import type { BadgeBrief } from '../core/badge-brief.js';
import { assess } from '../core/rating.js';
import type { RequesterKey } from '../core/requester-key.js';
import { decodeSummary } from '../core/summary-codec.js';
import { overlaySummary } from './own-overlay-merge.js';
import { onOverlayChanged, overlayFor, overlayRequesters } from './own-overlay.js';
import { allRows, onReplicaWritten } from './replica.js';
import { getRules, getSettings } from './settings.js';

let building: Promise<void> | null = null;
let again = false;
let lastBuild: { rows: number; ms: number } | null = null;

async function build(): Promise<void> {
  const started = performance.now();
  const [settings, rules] = await Promise.all([getSettings(), getRules()]);
  const blocked = new Set<RequesterKey>(settings.blocklist.map((entry) => entry.key));
  const entries: [RequesterKey, BadgeBrief][] = [];
  // The author's own reviews not yet confirmed by a sync show in their badges too (own-overlay.ts).
  const own = await overlayFor(await overlayRequesters());
  const now = Date.now();
  for await (const rows of allRows()) {
    for (const row of rows) {
      const changes = own.get(row[0]);
      const summary = changes ? overlaySummary(decodeSummary(row, rules), changes, rules, now) : decodeSummary(row, rules);
      entries.push([row[0], briefOf(summary, assess(summary, settings.thresholds, rules), blocked.has(row[0]))]);
    }
  }
  const inReplica = new Set(entries.map(([key]) => key));
  for (const [key, changes] of own) {
    if (inReplica.has(key)) continue;
    const summary = overlaySummary(null, changes, rules, now);
    if (summary) entries.push([key, briefOf(summary, assess(summary, settings.thresholds, rules), blocked.has(key))]);
    inReplica.add(key);
  }
  for (const key of blocked) {
    if (!inReplica.has(key)) entries.push([key, briefOf(null, assess(null, settings.thresholds, rules), true)]);
  }
  const index = encodeBadgeIndex(entries);
  const stored: StoredBadgeIndex = {
    format: 1,
    builtAt: Date.now(),
    requesters: index.size,
    platforms: settings.platforms,
    filterMode: settings.filterMode,
    pairs: index.pairs,
  };
  await browser.storage.local.set({ [BADGE_INDEX_STORAGE_KEY]: stored });
  lastBuild = { rows: entries.length, ms: Math.round(performance.now() - started) };
}

/** Rebuilds the index soon; resolves when an index as new as this call is stored. */
export function rebuildBadgeIndex(): Promise<void> {
  if (building) {
    again = true;
    return building;
  }
  building = (async () => {
    try {
      do {
        again = false;
        try {
          await build();
        } catch (error) {
          // Without an index pages still get badges, from lookups; say why in the console.
          console.warn('Lantern: badge index not rebuilt', error);
        }
      } while (again);
    } finally {
      building = null;
    }
  })();
  return building;
}

/** How the last build went, for the developer console and the benchmarks. */
export function badgeIndexStatus(): { building: boolean; last: { rows: number; ms: number } | null } {
  return { building: building !== null, last: lastBuild };
}

/** Wires the rebuilds: after replica writes, settings or rules changes, and at start if none is stored. */
export function keepBadgeIndex(): void {
  onReplicaWritten(() => void rebuildBadgeIndex());
  onOverlayChanged(() => void rebuildBadgeIndex());
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && ('settings' in changes || 'rules' in changes)) void rebuildBadgeIndex();
  });
  // The worker starts often; ask only whether an index is stored, not for its megabyte.
  void browser.storage.local.getBytesInUse(BADGE_INDEX_STORAGE_KEY).then((bytes) => {
    if (bytes === 0) void rebuildBadgeIndex();
  });
}
