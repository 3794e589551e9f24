/**
 * Keeps the background running while work that must finish runs (a sync, the badge
 * index's mending after a replica write). Both browsers stop an idle background — Chrome
 * its service worker, Firefox its event page (`extensions.background.idle.timeout`, 30 s
 * by default) — and neither counts IndexedDB or `fetch` as activity. What both do count:
 *
 * - Chrome (110+): any extension API call resets the service worker's idle timer.
 * - Firefox: every extension API call from the background that is answered in the parent
 *   process resets the event page's idle timer (ExtensionParent's `recvAPICall` emits
 *   `background-script-reset-idle`, reason "parentApiCall"). `storage.local` is answered
 *   in the child process (its IndexedDB backend), so the badge index's own writes don't
 *   count; `runtime.getPlatformInfo` is answered by the parent. An open `runtime.Port`
 *   does not keep an event page alive (Firefox's test_ext_eventpage_messaging.js suspends
 *   with a port open), and a pending `runtime.onMessage` answer resets the timer only
 *   once, so neither is relied on.
 *
 * So while any such work runs, `runtime.getPlatformInfo` is called every PING_MS, well
 * inside the shortest idle time the end-to-end tests use (1.5 s). This only narrows the
 * window: a browser may still stop the background (a long task starving the timer, a
 * shutdown), so the work itself is resumable as well (replica.ts: the index's mending is
 * recorded with the replica write it follows and taken up again at start).
 */

const PING_MS = 500;

let active = 0;
let timer: ReturnType<typeof setInterval> | null = null;

/**
 * The browser's own namespace, not webextension-polyfill: replica.ts imports this module
 * and also runs in unit tests outside an extension, where the polyfill refuses to load
 * (and there is nothing to keep alive). Both browsers return a promise from this call.
 */
interface PingApi {
  runtime?: { getPlatformInfo?: () => Promise<unknown> };
}
const namespace = globalThis as unknown as { browser?: PingApi; chrome?: PingApi };

function ping(): void {
  try {
    // The answer doesn't matter; the call is the activity.
    void (namespace.browser ?? namespace.chrome)?.runtime?.getPlatformInfo?.().catch(() => undefined);
  } catch {
    // no extension API here (a unit test)
  }
}

/** Runs `work`, the background kept running until it settles (nested calls share one timer). */
export async function whileKeptAlive<T>(work: () => Promise<T>): Promise<T> {
  active += 1;
  if (active === 1) {
    ping();
    timer = setInterval(ping, PING_MS);
  }
  try {
    return await work();
  } finally {
    active -= 1;
    if (active === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  }
}
