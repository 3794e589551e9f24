/** The driver over Playwright's Chromium, with e2e/browser.ts's launch (Debian's Chromium, loopback only). */
import type { BrowserContext, CDPSession, Page, Worker } from '@playwright/test';
import { backgroundOf, extensionIdOf, launchWithExtension } from '../browser.js';
import { centreOf, focusOn } from './dom.js';
import { callSource, fixtureResponse, waitFor } from './shared.js';
import type { DriverPage, ExtensionDriver, LaunchOptions, Served } from './types.js';

export async function launchChromium(options: LaunchOptions = {}): Promise<ExtensionDriver> {
  const context = await launchWithExtension();
  const worker = await backgroundOf(context);
  const driver = new ChromiumDriver(context, worker);
  if (options.hostPermissions === false) {
    // Site access "on click", set where a user sets it: chrome://extensions (its private API).
    // `permissions.remove` can't do it: Chromium refuses to remove required permissions.
    const page = await context.newPage();
    await page.goto('chrome://extensions/');
    await page.evaluate(
      (extensionId) => (globalThis as unknown as { chrome: { developerPrivate: { updateExtensionConfiguration(c: object): Promise<void> } } }).chrome.developerPrivate.updateExtensionConfiguration({ extensionId, hostAccess: 'ON_CLICK' }),
      extensionIdOf(worker),
    );
    await page.close();
  }
  return driver;
}

class ChromiumDriver implements ExtensionDriver {
  readonly browserName = 'chromium' as const;
  readonly extensionOrigin: string;
  /**
   * The service worker. Playwright keeps one Worker object across a stop and a restart
   * (checked: it evaluates in the new instance), so only a wake is needed after a stop.
   */
  private worker: Worker;
  private stopped = false;

  constructor(
    private readonly context: BrowserContext,
    worker: Worker,
  ) {
    this.worker = worker;
    this.extensionOrigin = `chrome-extension://${extensionIdOf(worker)}`;
    context.on('serviceworker', (started) => {
      if (started.url().startsWith(this.extensionOrigin)) this.worker = started;
    });
  }

  serve(urlPrefix: string, response: Served): void {
    void this.context.route(
      (url) => url.href.startsWith(urlPrefix),
      (route) => route.fulfill({ status: 200, contentType: response.contentType, body: response.body, headers: response.headers }),
    );
  }

  serveFixture(urlPrefix: string, file: string): void {
    this.serve(urlPrefix, fixtureResponse(file));
  }

  async open(url: string): Promise<DriverPage> {
    const page = await this.context.newPage();
    const wrapped = new ChromiumPage(page);
    await page.goto(url);
    return wrapped;
  }

  async openExtensionPage(path: string): Promise<DriverPage> {
    return this.open(`${this.extensionOrigin}/${path}`);
  }

  async background<T, A>(fn: (bg: any, arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    if (this.stopped) {
      // A message from an extension page is an event that starts a stopped worker again.
      if (!(await this.backgroundRunning())) await this.wake();
      this.stopped = false;
    }
    return (await this.worker.evaluate(callSource(fn, 'globalThis', arg))) as T;
  }

  private async wake(): Promise<void> {
    const page = await this.context.newPage();
    await page.goto(`${this.extensionOrigin}/rules.html`);
    await page.evaluate(() => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'ui/status', payload: {} }));
    await page.close();
  }

  /** Runs a DevTools command on a page's session (Playwright's own Worker objects outlive a stopped worker). */
  private async devtools<T>(command: (cdp: CDPSession) => Promise<T>): Promise<T> {
    const page = this.context.pages()[0] ?? (await this.context.newPage());
    const cdp = await this.context.newCDPSession(page);
    try {
      return await command(cdp);
    } finally {
      await cdp.detach().catch(() => undefined);
    }
  }

  backgroundRunning(): Promise<boolean> {
    return this.devtools(async (cdp) => {
      const { targetInfos } = await cdp.send('Target.getTargets');
      return targetInfos.some((t) => t.type === 'service_worker' && t.url.startsWith(this.extensionOrigin));
    });
  }

  async suspendBackground(): Promise<void> {
    this.stopped = true;
    await this.devtools(async (cdp) => {
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
    });
    await waitFor('the service worker to stop', async () => ((await this.backgroundRunning()) ? null : true));
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

class ChromiumPage implements DriverPage {
  readonly requests: string[] = [];
  readonly errors: string[] = [];

  constructor(private readonly page: Page) {
    page.on('request', (request) => this.requests.push(request.url()));
    page.on('pageerror', (error) => this.errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
    });
  }

  evaluate<T, A>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    return this.page.evaluate(fn as never, arg as never) as Promise<T>;
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
    await this.page.reload();
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
