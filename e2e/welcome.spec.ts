/**
 * First run (issue 12, item 8): a fresh install opens the welcome page (three steps and
 * the privacy promises), an update or a browser restart doesn't; a build that carries a
 * server address syncs with it without any settings change.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import { build } from '../scripts/build.js';
import { createAccount, postReview, review } from './api-client.js';
import { artifactPath, backgroundOf, expect, extensionIdOf, launchWithExtension, profileDir, sendUi, test } from './harness.js';
import { startTestServer } from './server.js';

test.use({ actionTimeout: 15_000 });
test.setTimeout(120_000);

const isWelcome = (page: Page) => new URL(page.url()).pathname === '/welcome.html';

async function welcomePage(context: BrowserContext): Promise<Page> {
  return context.pages().find(isWelcome) ?? context.waitForEvent('page', { predicate: async (page) => (await page.waitForURL(/\/welcome\.html$/, { timeout: 10_000 }).then(() => true, () => false)) });
}

/** The background answers an extension page: it has started, and its onInstalled has run. */
async function backgroundReady(context: BrowserContext, id: string): Promise<Page> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${id}/popup.html`);
    expect((await sendUi<{ hasAccount: boolean }>(page, 'ui/status')).hasAccount).toBe(false);
    return page;
  } catch (error) {
    await page.close();
    throw error;
  }
}

test('a fresh profile opens the welcome page on install, and a restart does not open it again', async () => {
  const dir = profileDir();
  let context = await launchWithExtension(dir, undefined, { keepWelcome: true });
  try {
    const welcome = await welcomePage(context);
    await expect(welcome.getByRole('heading', { level: 1 })).toHaveText('Welcome to Lantern');
    const steps = welcome.locator('ol.steps > li');
    await expect(steps).toHaveCount(3);
    await expect(steps.nth(0).getByRole('heading')).toHaveText('Choose a server');
    await expect(steps.nth(1).getByRole('heading')).toHaveText('Create an account (to write)');
    await expect(steps.nth(2).getByRole('heading')).toHaveText('Check your thresholds');
    // This build carries no server: step 1 says so and leads to the server setting.
    await expect(welcome.locator('[data-field="welcome-server"]')).toHaveText('No server yet: badges stay empty until you set one.');
    await expect(welcome.locator('[data-field="welcome-account"]')).toHaveText('No account yet.');
    await expect(welcome.locator('[data-field="welcome-thresholds"]')).toHaveText('Now: minimum pay $7.25 per hour in USD, £6.00 per hour in GBP; minimum rating none.');
    const privacy = welcome.locator('[data-section="privacy"]');
    await expect(privacy.getByRole('listitem')).toHaveCount(6);
    await expect(privacy).toContainText('Looking at a task page sends nothing anywhere');
    await expect(privacy).toContainText('no email, password, IP address or platform worker id');
    const axe = await new AxeBuilder({ page: welcome }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await welcome.screenshot({ path: artifactPath('welcome-page.png'), fullPage: true });

    // Each step's link opens the options page at that setting, "More settings" left closed.
    await welcome.getByRole('link', { name: 'Change your thresholds' }).click();
    await expect(welcome).toHaveURL(/options\.html#thresholds$/);
    await expect(welcome.locator('[data-section="thresholds"] h2')).toBeFocused();
    await expect(welcome.locator('details[data-group="more"]')).not.toHaveAttribute('open', '');
    // The thresholds link to the rules they feed.
    await expect(welcome.locator('[data-section="thresholds"]').getByRole('link', { name: 'How Lantern decides' })).toHaveAttribute('href', 'rules.html');
    await expect(welcome.locator('[data-section="blocklist"]')).toBeHidden();
    await welcome.locator('details[data-group="more"] > summary').click();
    await expect(welcome.locator('[data-section="blocklist"]')).toBeVisible();

    await context.close();

    // Starting the browser again on the same profile opens none (an update is checked in
    // handlers-guide.test.ts: Chromium blocks a command-line extension that reloads itself).
    context = await launchWithExtension(dir, undefined, { keepWelcome: true });
    await backgroundReady(context, extensionIdOf(await backgroundOf(context)));
    expect(context.pages().filter(isWelcome)).toHaveLength(0);
  } finally {
    await context.close();
  }
});

test('a build that carries a server address syncs with it without any settings change', async () => {
  const server = await startTestServer();
  const dir = mkdtempSync(join(tmpdir(), 'lantern-default-server-'));
  let context: BrowserContext | null = null;
  try {
    const key = 'mturk:A1X9QZT4MK0B2W';
    await postReview(server.url, await createAccount(server.url), review(key, 'Default Labs'));
    await build({ outdir: join(dir, 'extension'), defaultServer: server.url, quiet: true, testHooks: true });
    context = await launchWithExtension('', join(dir, 'extension'), { keepWelcome: true });
    const welcome = await welcomePage(context);
    await expect(welcome.locator('[data-field="welcome-server"]')).toHaveText(`Lantern syncs with ${server.url}.`);
    await expect(welcome.locator('[data-field="sync-state"]')).toHaveText('Up to date');
    await welcome.screenshot({ path: artifactPath('welcome-page-default-server.png'), fullPage: true });
    const detail = await sendUi<{ summary: { name: string } | null }>(welcome, 'ui/requester-detail', { key });
    expect(detail.summary?.name).toBe('Default Labs');
    // Nothing was stored: the address is the build's default, which a worker's choice replaces.
    const background = await backgroundOf(context);
    expect(await background.evaluate(() => (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage.local.get('settings'))).toEqual({});
    expect((await sendUi<{ serverUrl: string | null }>(welcome, 'ui/settings-get')).serverUrl).toBe(server.url);
  } finally {
    await context?.close();
    await server.stop();
  }
});
