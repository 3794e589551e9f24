/**
 * Watches a task page and keeps Lantern's additions in line with it.
 *
 * React re-renders task tables on "Show details", sorting and paging, replacing rows
 * with new nodes; a MutationObserver rescans after each change.
 *
 * A scan first draws what the badge index (read from storage at start) says of each
 * requester — in the same task that added the rows, so they are never seen without
 * badges — then asks the background once for the requesters not yet known on this
 * page, and when the full answers arrive lets every content feature (badges, banners,
 * filters, the accept guard) update the page again.
 */
import { briefOf, type BadgeBrief } from '../core/badge-brief.js';
import { LOOKUP_MAX_KEYS, type LookupResult } from '../core/messages.js';
import type { RequesterKey } from '../core/requester-key.js';
import type { PlatformAdapter } from '../platforms/types.js';
import { contentFeatures, type ContentActions, type ContentFeature } from './features/index.js';
import { isOwnNode } from './features/host-slots.js';

interface LookupAnswer {
  enabled: boolean;
  filterMode: 'hide' | 'dim' | 'off';
  results: LookupResult[];
}

/** What the badge index says, synchronously; null while none is loaded. */
export interface BadgeHints {
  enabled: boolean;
  filterMode: LookupAnswer['filterMode'];
  /** How many requesters the index knows. */
  size: number;
  /** null: the index can't tell (wait for the answer). */
  brief(key: RequesterKey): BadgeBrief | null;
}

export interface WatcherDeps {
  adapter: PlatformAdapter;
  hints(): BadgeHints | null;
  /** Answers for keys not yet known on this page; one call per scan. */
  lookup(keys: RequesterKey[]): Promise<LookupAnswer>;
  /** An adapter problem, reported once per page and kind. */
  report(page: string, problem: string): void;
  actions: ContentActions;
}

export interface PageWatcher {
  stop(): void;
  scanNow(): Promise<void>;
  /** The requesters the last scan found on the page. */
  keysOnPage(): RequesterKey[];
  /** Forget what is known (settings or replica changed) and scan again. */
  refresh(): Promise<void>;
}

export function watchPage(doc: Document, deps: WatcherDeps): PageWatcher {
  /** Full answers from the background, and each one's brief. */
  const results = new Map<RequesterKey, LookupResult>();
  /** What each badge shows: the answer's brief, or until it arrives the index's. */
  const briefs = new Map<RequesterKey, BadgeBrief>();
  /** Answers kept on screen while a fresh one is asked for (settings or replica changed). */
  const stale = new Set<RequesterKey>();
  const reported = new Set<string>();
  let filterMode: LookupAnswer['filterMode'] | null = null;
  /** Keys to ask the background about, and those asked already and not yet answered. */
  const wanted = new Set<RequesterKey>();
  const asked = new Set<RequesterKey>();
  let asking: Promise<void> | null = null;
  /** Bumped by every refresh: an answer to a question asked before it is not fresh. */
  let generation = 0;
  let stopped = false;
  let onPage: RequesterKey[] = [];
  const features: ContentFeature[] = contentFeatures(() => void scanNow());

  /**
   * Brings the page in line with what is known now — answers, or the index's briefs —
   * synchronously, in the task that changed the page; notes what to ask the background.
   */
  function draw(): void {
    const url = new URL(doc.location.href);
    const scan = deps.adapter.scan(doc, url);
    for (const problem of scan.problems) {
      const id = `${scan.page}:${problem}`;
      if (!reported.has(id)) {
        reported.add(id);
        deps.report(scan.page, problem);
      }
    }
    onPage = [...new Set(scan.spots.map((s) => s.key))];
    const missing = onPage.filter((key) => !results.has(key) || stale.has(key));
    const hints = deps.hints();
    // A platform switched off in the index waits for the background's word (it is the truth).
    if (hints?.enabled) {
      for (const key of missing) {
        if (briefs.has(key)) continue;
        const brief = hints.brief(key);
        if (brief) briefs.set(key, brief);
      }
    }
    const ctx = { doc, adapter: deps.adapter, page: scan.page, spots: scan.spots, results, briefs, filterMode: filterMode ?? hints?.filterMode ?? 'off', actions: deps.actions };
    // Our own additions are no reason to rescan: stop watching while we make them (a
    // thousand new badges would otherwise queue a thousand records to sift). Nothing
    // else can change the page during this synchronous pass, and what changed before it
    // is in the scan above.
    observer.takeRecords();
    observer.disconnect();
    try {
      for (const feature of features) feature.apply(ctx);
    } finally {
      if (!stopped) observe();
    }
    checkLayoutAfterDrawing();
    for (const key of missing) if (!asked.has(key)) wanted.add(key);
  }

  /**
   * One lookup at a time, for everything wanted; each answer is drawn when it comes.
   * Asked after drawing, so briefs never wait for the asking.
   */
  function ask(): Promise<void> {
    if (asking) return asking;
    if (wanted.size === 0 || stopped) return Promise.resolve();
    const run = (async () => {
      try {
        while (wanted.size > 0 && !stopped) {
          const keys = [...wanted].slice(0, LOOKUP_MAX_KEYS);
          for (const key of keys) {
            wanted.delete(key);
            asked.add(key);
          }
          const askedAt = generation;
          try {
            const answer = await deps.lookup(keys);
            if (!answer.enabled) return stop();
            filterMode = answer.filterMode;
            for (const result of answer.results) {
              results.set(result.key, result);
              briefs.set(result.key, briefOf(result.summary, result.assessment, result.blocked));
              if (askedAt === generation) stale.delete(result.key);
            }
          } finally {
            for (const key of keys) asked.delete(key);
          }
          if (!stopped) draw();
        }
      } catch (error) {
        fail(error);
      }
    })();
    asking = run;
    void run.finally(() => {
      if (asking !== run) return;
      asking = null;
      // Keys wanted while this run was finishing get their own.
      if (wanted.size > 0) void ask();
    });
    return run;
  }

  /** Never let a failure reach the host page; the background counts it. */
  function fail(error: unknown): void {
    deps.report('any', 'adapter_threw');
    console.debug('Lantern: scan failed', error);
  }

  // Layout decisions the adapter remembered are checked once the page has drawn (its
  // styles are computed then, so the check costs little); if one no longer holds, rescan.
  let layoutCheck = false;
  function checkLayoutAfterDrawing(): void {
    const view = doc.defaultView;
    if (layoutCheck || !deps.adapter.layoutChanged || !view) return;
    layoutCheck = true;
    view.requestAnimationFrame(() =>
      view.setTimeout(() => {
        layoutCheck = false;
        if (!stopped && deps.adapter.layoutChanged?.(false)) void scanNow();
      }, 0),
    );
  }

  function scanNow(): Promise<void> {
    if (stopped) return Promise.resolve();
    try {
      draw();
    } catch (error) {
      fail(error);
      return Promise.resolve();
    }
    // Asked at once, in the task that drew the briefs: posting the keys costs well under
    // a millisecond per hundred, and the background then answers while the page renders
    // the new rows. Asked in the next task instead, the question waited for that render
    // (tens of milliseconds on a long list) before the background even began.
    return ask();
  }

  const hasForeign = (nodes: NodeList) => {
    for (const node of nodes) if (!isOwnNode(node)) return true;
    return false;
  };
  // Our own additions coming and going are no reason to rescan; what happens inside our
  // shadow roots is not seen by this observer at all.
  const observer = new MutationObserver((mutations) => {
    const foreign = mutations.some((m) => hasForeign(m.addedNodes) || hasForeign(m.removedNodes));
    if (foreign) void scanNow();
  });
  const observe = () => observer.observe(doc.documentElement, { childList: true, subtree: true });
  observe();
  // Crossing the desktop/mobile breakpoint shows the other copy of each row's requester
  // link: rescan so the badge moves to the visible one.
  let resizeFrame = 0;
  const onResize = () => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(() => {
      deps.adapter.layoutChanged?.(true);
      void scanNow();
    });
  };
  doc.defaultView?.addEventListener('resize', onResize);
  void scanNow();

  function stop(): void {
    stopped = true;
    observer.disconnect();
    doc.defaultView?.removeEventListener('resize', onResize);
    for (const feature of features) feature.clear(doc);
  }

  return {
    stop,
    scanNow,
    keysOnPage: () => onPage,
    async refresh() {
      // Ask again for everything, but keep showing the old answers until the new ones come.
      generation += 1;
      for (const key of results.keys()) stale.add(key);
      await scanNow();
    },
  };
}
