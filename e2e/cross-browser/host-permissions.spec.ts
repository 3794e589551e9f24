/**
 * Host permissions withheld: the worker declined Lantern's access to the task sites
 * (Firefox: `extensions.originControls.grantByDefault` false, as when the install prompt's
 * access is declined; Chromium: site access set to "on click" on chrome://extensions, as a
 * user sets it — `permissions.remove` can't, Chromium refuses to remove required permissions). Then no badge and no error
 * on the task pages, and the options page says which sites to allow and asks on a click.
 *
 * The click itself is answered only in Firefox (`extensions.webextOptionalPermissionPrompts`
 * false grants it without a prompt). Headless Chromium shows its permission prompt as a
 * native dialog nobody can answer, so there the test stops at the options page's words.
 */
import { expect, launchDriver, test, type DriverPage, type ExtensionDriver } from '../drivers/index.js';
import { summaryFor } from '../summaries.js';
import { badges, distinctRequesters, fixture, seedReplica, serveSite, textOf } from './fixtures.js';

const HOME = 'mturk-home.html';
const [DANGER] = distinctRequesters(HOME);
const SITES = ['https://worker.mturk.com/*', 'https://app.prolific.com/*'];

/** Lets the page reach the point where a content script would have drawn (load, then two frames). */
const settled = (page: DriverPage) => page.evaluate(() => new Promise<boolean>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))));

test.describe.configure({ mode: 'serial' });

let driver: ExtensionDriver;
let options: DriverPage;
test.beforeAll(async ({ lanternBrowser }) => {
  driver = await launchDriver(lanternBrowser, { hostPermissions: false });
});
test.afterAll(async () => {
  await driver?.close();
});

const granted = () => driver.background((bg, origins) => Promise.all(origins.map((o: string) => bg.chrome.permissions.contains({ origins: [o] }))), SITES);

test('without site access: no badge and no error on a task list, and the options page says which sites to allow', async () => {
  expect(await granted()).toEqual([false, false]);
  await seedReplica(driver, [summaryFor(`mturk:${DANGER![0]}`, DANGER![1], 'danger')]);

  const list = await driver.open(serveSite(driver, HOME));
  await settled(list);
  // The page is the real fixture, drawn in full — only Lantern is absent.
  expect(await list.evaluate(() => document.querySelectorAll('li.hit-set-table-row').length)).toBe(fixture(HOME).rows!.length);
  expect(await badges(list)).toEqual([]);
  expect(await list.evaluate(() => document.documentElement.outerHTML.includes('lantern-'))).toBe(false);
  expect(list.errors).toEqual([]);
  await list.close();

  options = await driver.openExtensionPage('options.html');
  await expect.poll(() => textOf(options, '[data-field="sites-missing"]')).toBe(
    'Lantern is not allowed to read worker.mturk.com, app.prolific.com, so no badge can appear there. Allow it to see badges.',
  );
  expect(options.errors).toEqual([]);
});

test('a click on "Allow access" grants it, and the task list gets its badges', async ({ lanternBrowser }) => {
  test.skip(lanternBrowser === 'chromium', 'headless Chromium cannot answer its permission prompt (a native dialog)');
  await options.click('[data-section="permissions"] button');
  await expect.poll(() => textOf(options, '[data-section="permissions"] [role="status"]')).toBe('Access allowed. Reload your open task pages to see badges.');
  expect(await textOf(options, '[data-field="sites-missing"]')).toBe('');
  expect(await granted()).toEqual([true, true]);

  const after = await driver.open(serveSite(driver, HOME));
  await expect.poll(async () => (await badges(after)).length).toBe(fixture(HOME).expectedBadges);
  expect((await badges(after)).find((b) => b.requester === `mturk:${DANGER![0]}`)?.level).toBe('danger');
});
