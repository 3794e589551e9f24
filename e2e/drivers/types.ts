/**
 * One small interface over the two ways the end-to-end tests drive a browser with the
 * built extension: Playwright for Chromium (e2e/browser.ts) and Puppeteer over WebDriver
 * BiDi for Firefox (Playwright's Firefox cannot load extensions). Specs in
 * e2e/cross-browser/ use only this, so each runs unchanged in both browsers.
 *
 * Assertions are made from Node on plain values (`expect.poll(() => page.evaluate(…))`):
 * Playwright's locators exist only on one side.
 */

export type BrowserName = 'chromium' | 'firefox';

export interface LaunchOptions {
  /** False: the extension starts without its host permissions (the user withheld them). Default true. */
  hostPermissions?: boolean;
  /** Firefox: `extensions.background.idle.timeout` in ms (the event page is suspended when idle this long). */
  backgroundIdleMs?: number;
}

/** A response served at a real URL (fixtures at worker.mturk.com, Prolific's API). */
export interface Served {
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

export interface DriverPage {
  /** Runs `fn(arg)` in the page (its own world, not the content script's); `fn` must be self-contained. */
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** A real mouse click (a user gesture) in the middle of the first element matching `selector`, looked up through open shadow roots (`host >>> inner` steps into a host's shadow root). */
  click(selector: string): Promise<void>;
  /** Focuses the element (through shadow roots) and types `text` with the real keyboard. */
  type(selector: string, text: string): Promise<void>;
  reload(): Promise<void>;
  screenshot(path: string): Promise<void>;
  /** Every URL this page requested (documents, scripts, fetches), in order. */
  readonly requests: string[];
  /** Uncaught errors and console errors of this page. */
  readonly errors: string[];
  close(): Promise<void>;
}

export interface ExtensionDriver {
  readonly browserName: BrowserName;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`. */
  readonly extensionOrigin: string;
  /** Answers every later request whose URL starts with `urlPrefix`, in every page opened after. */
  serve(urlPrefix: string, response: Served): void;
  /** Serves e2e/fixtures/<file> as HTML under `urlPrefix`. */
  serveFixture(urlPrefix: string, file: string): void;
  /** A new tab at a web URL, resolved once the page has loaded. */
  open(url: string): Promise<DriverPage>;
  /** A new tab at an extension page (`popup.html?…`), resolved once its document is complete. */
  openExtensionPage(path: string): Promise<DriverPage>;
  /**
   * Runs `fn(backgroundGlobal, arg)` in the background (Chromium's service worker, Firefox's
   * event page — woken if it was suspended). `arg` and the result travel as JSON.
   */
  background<T, A = undefined>(fn: (bg: any, arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Whether the background is running now, asked without waking it. */
  backgroundRunning(): Promise<boolean>;
  /**
   * Resolves once the background has been suspended, its in-memory state gone. Firefox: the
   * event page's own idle suspension (launch with a short `backgroundIdleMs`). Chromium does
   * not idle a service worker out while a test drives it, so it is stopped as the browser
   * would (DevTools' ServiceWorker.stopAllWorkers).
   */
  suspendBackground(): Promise<void>;
  close(): Promise<void>;
}
