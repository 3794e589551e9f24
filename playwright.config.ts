import { defineConfig } from '@playwright/test';

// The browser is launched by the harness (an extension needs a persistent context in
// Chromium and Puppeteer over WebDriver BiDi in Firefox), so projects only say which one:
// - `chromium`: every spec (e2e/*.spec.ts through e2e/harness.ts, and the shared ones);
// - `firefox`: the shared specs in e2e/cross-browser/, through e2e/drivers/ (Debian's
//   Firefox ESR, /usr/bin/firefox-esr or FIREFOX_PATH).
export default defineConfig<{ lanternBrowser: 'chromium' | 'firefox' }>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  outputDir: 'test-results',
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  projects: [
    { name: 'chromium', use: { lanternBrowser: 'chromium' } },
    { name: 'firefox', testMatch: 'cross-browser/**/*.spec.ts', use: { lanternBrowser: 'firefox' } },
  ],
});
