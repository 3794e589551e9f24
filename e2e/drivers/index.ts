/**
 * The cross-browser harness: Playwright test fixtures that hand a spec an `ExtensionDriver`
 * for the project's browser (playwright.config.ts: projects `chromium` and `firefox`).
 *
 * - `driver`: a fresh browser with the extension, for one test.
 * - `launch(options)`: another browser for this test (host permissions withheld, a short
 *   background idle time, a second worker), closed after the test.
 * A file whose tests can share one browser (as most can: Firefox takes seconds to start)
 * uses `launchDriver(browserName)` in `beforeAll` instead.
 */
import { test as base } from '@playwright/test';
import { launchChromium } from './chromium.js';
import { launchFirefox } from './firefox.js';
import type { BrowserName, ExtensionDriver, LaunchOptions } from './types.js';

export * from './types.js';

export function launchDriver(browserName: BrowserName, options: LaunchOptions = {}): Promise<ExtensionDriver> {
  return browserName === 'firefox' ? launchFirefox(options) : launchChromium(options);
}

export const test = base.extend<{ driver: ExtensionDriver; launch: (options?: LaunchOptions) => Promise<ExtensionDriver> }, { lanternBrowser: BrowserName }>({
  lanternBrowser: ['chromium', { option: true, scope: 'worker' }],
  driver: async ({ lanternBrowser }, use) => {
    const driver = await launchDriver(lanternBrowser);
    await use(driver);
    await driver.close();
  },
  launch: async ({ lanternBrowser }, use) => {
    const opened: ExtensionDriver[] = [];
    await use(async (options) => {
      const driver = await launchDriver(lanternBrowser, options);
      opened.push(driver);
      return driver;
    });
    await Promise.all(opened.map((d) => d.close()));
  },
});

export { expect } from '@playwright/test';
