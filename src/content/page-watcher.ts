/**
 * Keeps exactly one badge on every requester spot while the page changes under it.
 *
 * React re-renders task tables on "Show details", sorting and paging, replacing rows
 * with new nodes; a MutationObserver rescans after each change. Each row owns at
 * most one badge host; hosts whose row is gone are removed; hosts already in place are
 * left alone, so our own insertions settle instead of looping.
 */
import type { LookupResult } from '../core/messages.js';
import type { RequesterKey } from '../core/requester-key.js';
import type { PlatformAdapter, RequesterSpot } from '../platforms/types.js';
import { createBadgeHost, HOST_TAG, isBadgeHost, renderBadge, type BadgeHost } from './badge-host.js';

export interface WatcherDeps {
  adapter: PlatformAdapter;
  /** Answers for keys not yet known on this page; one call per scan. */
  lookup(keys: RequesterKey[]): Promise<LookupResult[]>;
  /** An adapter problem, reported once per page and kind. */
  report(page: string, problem: string): void;
}

export function watchPage(doc: Document, deps: WatcherDeps): { stop(): void; scanNow(): Promise<void> } {
  const hostsByRow = new WeakMap<Element, BadgeHost & { shown?: LookupResult; name?: string }>();
  const liveHosts = new Set<HTMLElement>();
  const results = new Map<RequesterKey, LookupResult>();
  const reported = new Set<string>();
  let scanning: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  function place(spot: RequesterSpot): void {
    let host = hostsByRow.get(spot.row);
    const neighbour = spot.position === 'afterend' ? host?.element.previousElementSibling : host?.element.nextElementSibling;
    if (!host || !host.element.isConnected || neighbour !== spot.anchor) {
      if (host) host.element.remove();
      host = createBadgeHost(doc);
      spot.anchor.insertAdjacentElement(spot.position, host.element);
      hostsByRow.set(spot.row, host);
    }
    liveHosts.add(host.element);
    const result = results.get(spot.key);
    if (result && (host.shown !== result || host.name !== spot.name)) {
      renderBadge(host, spot, result);
      host.shown = result;
      host.name = spot.name;
    }
  }

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
      for (const result of await deps.lookup(missing)) results.set(result.key, result);
      if (stopped) return;
    }
    liveHosts.clear();
    for (const spot of scan.spots) place(spot);
    // Hosts left from rows that are gone, or from a row that now shows another spot.
    for (const element of doc.querySelectorAll<HTMLElement>(HOST_TAG)) {
      if (!liveHosts.has(element)) element.remove();
    }
  }

  function scanNow(): Promise<void> {
    if (scanning) {
      again = true;
      return scanning;
    }
    scanning = (async () => {
      try {
        do {
          again = false;
          await scanOnce();
        } while (again);
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

  // Our own hosts coming and going are not a reason to rescan; Preact's renders happen
  // inside shadow roots, which this observer doesn't see.
  const observer = new MutationObserver((mutations) => {
    const foreign = mutations.some((m) => [...m.addedNodes, ...m.removedNodes].some((node) => !isBadgeHost(node)));
    if (foreign) void scanNow();
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true });
  void scanNow();

  return {
    stop: () => {
      stopped = true;
      observer.disconnect();
      for (const element of doc.querySelectorAll(HOST_TAG)) element.remove();
    },
    scanNow,
  };
}
