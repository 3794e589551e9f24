/**
 * The driver over Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi, with
 * the built extension installed as a temporary add-on. The recipe and its pitfalls are in
 * ../shared/reference/browser-testing.md (beside the project); the ones that shape this file:
 * - extension pages report no navigation events over BiDi: `goto` is started, never awaited,
 *   and the document is polled from Node until it is the page and complete;
 * - page request interception serves fixtures at their real URLs, and must answer every
 *   request (Firefox also asks for /favicon.ico); the background's own requests (to the test
 *   server on 127.0.0.1) are not seen there and go to the real server;
 * - the background is an event page reached from an extension page with
 *   `runtime.getBackgroundPage()` (which wakes it); `extension.getBackgroundPage()` answers
 *   null without waking it while it is suspended.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { EXTENSION_DIR } from '../browser.js';
import { centreOf, focusOn } from './dom.js';
import { callSource, fixtureResponse, waitFor } from './shared.js';
import type { DriverPage, ExtensionDriver, LaunchOptions, Served } from './types.js';

function firefoxPath(): string {
  const path = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
  if (!existsSync(path)) throw new Error(`Firefox not found at ${path}: run "apt-get install -y firefox-esr" or set FIREFOX_PATH.`);
  return path;
}

export async function launchFirefox(options: LaunchOptions = {}): Promise<ExtensionDriver> {
  const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { browser_specific_settings: { gecko: { id: string } } };
  const geckoId = manifest.browser_specific_settings.gecko.id;
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    defaultViewport: { width: 1280, height: 900 },
    // Needed to open moz-extension:// pages at all over BiDi.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      // A fixed extension origin, so tests can open moz-extension://<uuid>/popup.html.
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
      // Host permissions granted at install (the default in 153), or withheld like a user who
      // declined them; then only a click on a button calling permissions.request grants them,
      // answered without a prompt nobody could click in a headless browser.
      'extensions.originControls.grantByDefault': options.hostPermissions !== false,
      'extensions.webextOptionalPermissionPrompts': false,
      // Suspended only when a test asks for it (a long default keeps other tests deterministic).
      'extensions.background.idle.timeout': options.backgroundIdleMs ?? 600_000,
    },
  });
  try {
    const installed = await browser.installExtension(EXTENSION_DIR);
    if (installed !== geckoId) throw new Error(`installed ${installed}, expected ${geckoId}`);
    const driver = new FirefoxDriver(browser, `moz-extension://${uuid}`);
    await driver.closeWelcome();
    return driver;
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Where a page's document is now (BiDi's own idea of the URL stays about:blank for extension pages). */
const whereAmI = () => ({ href: location.href, ready: document.readyState });

class FirefoxDriver implements ExtensionDriver {
  readonly browserName = 'firefox' as const;
  private readonly routes: [prefix: string, response: Served][] = [];
  /** An extension page kept open to reach the background from. */
  private helper: Promise<FirefoxPage> | null = null;

  constructor(
    private readonly browser: Browser,
    readonly extensionOrigin: string,
  ) {}

  /** The install opens the welcome page (as in Chromium): closed, tests want their own tabs. Gives up after 10 s. */
  async closeWelcome(): Promise<void> {
    const welcome = await waitFor(
      'the welcome page',
      async () => {
        for (const page of await this.browser.pages()) {
          const at = await page.evaluate(whereAmI).catch(() => null);
          if (at?.href.endsWith('/welcome.html')) return page;
        }
        return null;
      },
      10_000,
    ).catch(() => null);
    await welcome?.close();
  }

  serve(urlPrefix: string, response: Served): void {
    // Later routes win, as with Playwright's context.route.
    this.routes.unshift([urlPrefix, response]);
  }

  serveFixture(urlPrefix: string, file: string): void {
    this.serve(urlPrefix, fixtureResponse(file));
  }

  async open(url: string): Promise<DriverPage> {
    const page = await this.browser.newPage();
    const wrapped = new FirefoxPage(page, false);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.isInterceptResolutionHandled()) return;
      const href = request.url();
      const route = this.routes.find(([prefix]) => href.startsWith(prefix));
      if (route) void request.respond({ status: 200, contentType: route[1].contentType, body: route[1].body, headers: route[1].headers });
      else if (href.startsWith('http://127.0.0.1')) void request.continue();
      else void request.respond({ status: 404, contentType: 'text/plain', body: '' });
    });
    await page.goto(url);
    return wrapped;
  }

  async openExtensionPage(path: string): Promise<DriverPage> {
    const page = await this.browser.newPage();
    const url = `${this.extensionOrigin}/${path}`;
    const wrapped = new FirefoxPage(page, true);
    await wrapped.navigateExtension(url);
    return wrapped;
  }

  private helperPage(): Promise<FirefoxPage> {
    // Any extension page would do; rules.html only reads (it changes nothing in the background).
    this.helper ??= this.openExtensionPage('rules.html') as Promise<FirefoxPage>;
    return this.helper;
  }

  async background<T, A>(fn: (bg: any, arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    const page = await this.helperPage();
    return (await page.evaluateSource(callSource(fn, 'await browser.runtime.getBackgroundPage()', arg))) as T;
  }

  async backgroundRunning(): Promise<boolean> {
    const page = await this.helperPage();
    return (await page.evaluateSource('browser.extension.getBackgroundPage() !== null')) as boolean;
  }

  async suspendBackground(): Promise<void> {
    // Firefox suspends the event page after `extensions.background.idle.timeout` without events.
    await waitFor('the event page to be suspended', async () => ((await this.backgroundRunning()) ? null : true), 60_000);
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}

class FirefoxPage implements DriverPage {
  readonly requests: string[] = [];
  readonly errors: string[] = [];
  private url = '';

  constructor(
    private readonly page: Page,
    private readonly extension: boolean,
  ) {
    page.on('request', (request) => this.requests.push(request.url()));
    page.on('pageerror', (error) => this.errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
    });
  }

  async navigateExtension(url: string): Promise<void> {
    this.url = url;
    // Never resolves for extension pages over BiDi (no navigation events): started, then polled.
    void this.page.goto(url).catch(() => undefined);
    await waitFor(`${url} to load`, async () => {
      const at = await this.page.evaluate(whereAmI);
      return at.href === url && at.ready === 'complete' ? true : null;
    });
  }

  evaluate<T, A>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    return this.page.evaluate(fn as never, arg as never) as Promise<T>;
  }

  evaluateSource(source: string): Promise<unknown> {
    return this.page.evaluate(source);
  }

  async click(selector: string): Promise<void> {
    const at = await waitFor(`a clickable ${selector}`, () => this.page.evaluate(centreOf, selector));
    await this.page.mouse.click(at.x, at.y);
  }

  async type(selector: string, text: string): Promise<void> {
    await waitFor(`${selector} to focus`, async () => ((await this.page.evaluate(focusOn, selector)) ? true : null));
    await this.page.keyboard.type(text);
  }

  async reload(): Promise<void> {
    if (this.extension) await this.navigateExtension(this.url);
    else await this.page.reload();
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
