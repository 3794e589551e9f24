/**
 * Watches a task page and keeps Lantern's additions in line with it.
 *
 * React re-renders task tables on "Show details", sorting and paging, replacing rows
 * with new nodes; a MutationObserver rescans after each change. A scan asks the
 * background once for the requesters not yet known on this page, then lets every
 * content feature (badges, banners, filters, the accept guard) update the page.
 */
import type { LookupResult } from '../core/messages.js';
import type { RequesterKey } from '../core/requester-key.js';
import type { PlatformAdapter } from '../platforms/types.js';
import { contentFeatures, type ContentActions, type ContentFeature } from './features/index.js';
import { isOwnNode } from './features/host-slots.js';

export interface LookupAnswer {
  enabled: boolean;
  filterMode: 'hide' | 'dim' | 'off';
  results: LookupResult[];
}

export interface WatcherDeps {
  adapter: PlatformAdapter;
  /** Answers for keys not yet known on this page; one call per scan. */
  lookup(keys: RequesterKey[]): Promise<LookupAnswer>;
  /** An adapter problem, reported once per page and kind. */
  report(page: string, problem: string): void;
  actions: ContentActions;
}

export interface PageWatcher {
  stop(): void;
  scanNow(): Promise<void>;
  /** Forget what is known (settings or replica changed) and scan again. */
  refresh(): Promise<void>;
}

export function watchPage(doc: Document, deps: WatcherDeps): PageWatcher {
  const results = new Map<RequesterKey, LookupResult>();
  const reported = new Set<string>();
  let filterMode: LookupAnswer['filterMode'] = 'off';
  let scanning: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const features: ContentFeature[] = contentFeatures(() => void scanNow());

  async function scanOnce(): Promise<void> {
    const url = new URL(doc.location.href);
    const scan = deps.adapter.scan(doc, url);
    for (const problem of scan.problems) {
      const id = `${scan.page}:${problem}`;
      if (!reported.has(id)) {
        reported.add(id);
        deps.report(scan.page, problem);
      }
    }
    const missing = [...new Set(scan.spots.map((s) => s.key))].filter((key) => !results.has(key));
    if (missing.length > 0) {
      const answer = await deps.lookup(missing);
      if (!answer.enabled) return stop();
      filterMode = answer.filterMode;
      for (const result of answer.results) results.set(result.key, result);
    }
    if (stopped) return;
    const ctx = { doc, adapter: deps.adapter, page: scan.page, spots: scan.spots, results, filterMode, actions: deps.actions };
    for (const feature of features) feature.apply(ctx);
  }

  function scanNow(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (scanning) {
      again = true;
      return scanning;
    }
    scanning = (async () => {
      try {
        do {
          again = false;
          await scanOnce();
        } while (again && !stopped);
      } catch (error) {
        // Never let a failure reach the host page; the background counts it.
        deps.report('any', 'adapter_threw');
        console.debug('Lantern: scan failed', error);
      } finally {
        scanning = null;
      }
    })();
    return scanning;
  }

  // Our own additions coming and going are no reason to rescan; what happens inside our
  // shadow roots is not seen by this observer at all.
  const observer = new MutationObserver((mutations) => {
    const foreign = mutations.some((m) => [...m.addedNodes, ...m.removedNodes].some((node) => !isOwnNode(node)));
    if (foreign) void scanNow();
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true });
  // Crossing the desktop/mobile breakpoint shows the other copy of each row's requester
  // link: rescan so the badge moves to the visible one.
  let resizeFrame = 0;
  const onResize = () => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(() => void scanNow());
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
    async refresh() {
      results.clear();
      await scanNow();
    },
  };
}
