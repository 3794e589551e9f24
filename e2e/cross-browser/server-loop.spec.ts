/**
 * The worker's loop with the real server, in both browsers: the options page connects
 * (typed, saved with a real click) and the first sync fills the replica; the popup's review
 * form is delivered through the outbox; another worker's review arrives in a delta; the
 * task list shows each, and the detail card reads reviews from a bucket. The server is
 * reached through a logging proxy, because Firefox shows a test no request of the
 * background's (e2e/cross-browser/logging-proxy.ts).
 * One browser and one server for the file; the tests run in order, each building on the last.
 */
import Database from 'better-sqlite3';
import { createAccount, postReview, review } from '../api-client.js';
import { expect, launchDriver, test, type DriverPage, type ExtensionDriver } from '../drivers/index.js';
import { startTestServer, type TestServer } from '../server.js';
import { badges, distinctRequesters, sendUi, serveSite, setByLabel, textOf } from './fixtures.js';
import { startLoggingProxy, type LoggingProxy } from './logging-proxy.js';

test.describe.configure({ mode: 'serial' });

const HOME = 'mturk-home.html';
const REQUESTERS = distinctRequesters(HOME);
/** Reviewed by another worker before the first sync, by this worker in the popup, and by another worker before the delta. */
const [BEFORE, MINE, LATER] = [REQUESTERS[2]!, REQUESTERS[1]!, REQUESTERS[5]!].map(([id, name]) => ({ key: `mturk:${id}`, name }));

interface Status {
  sync: { state: string; rows: number; version: string | null };
  outbox: unknown[];
}

let server: TestServer;
let proxy: LoggingProxy;
let driver: ExtensionDriver;
let options: DriverPage;

test.beforeAll(async ({ lanternBrowser }) => {
  server = await startTestServer();
  proxy = await startLoggingProxy(server.url);
  await postReview(server.url, await createAccount(server.url), review(BEFORE!.key, BEFORE!.name));
  driver = await launchDriver(lanternBrowser);
});
test.afterAll(async () => {
  await driver?.close();
  await proxy?.close();
  await server?.stop();
});

const status = () => sendUi<Status>(options, 'ui/status');
const badgeText = async (page: DriverPage, key: string) => (await badges(page)).find((b) => b.requester === key)?.text ?? null;

test('options page: the typed server address is saved by a click and the first sync fills the replica', async () => {
  options = await driver.openExtensionPage('options.html');
  await options.type('[data-section="server"] input[type="url"]', proxy.url);
  await options.click('[data-section="server"] button[type="submit"]');
  await expect.poll(() => textOf(options, '[data-section="server"] [role="status"]')).toContain('Server saved.');
  await expect.poll(() => textOf(options, '[data-field="sync-state"]'), { timeout: 20_000 }).toBe('Up to date');
  expect((await status()).sync.rows).toBe(1);
  expect(proxy.seen).toContain('GET /v1/sync/snapshot');

  // Thresholds saved from the same page reach the background's settings.
  await setByLabel(options, '[data-section="thresholds"]', 'Minimum hourly pay (USD)', '12.50');
  await options.click('[data-section="thresholds"] button[type="submit"]');
  await expect.poll(async () => (await sendUi<{ thresholds: { minHourlyCents: Record<string, number | null> } }>(options, 'ui/settings-get')).thresholds.minHourlyCents.USD).toBe(1250);
});

test('popup review form: delivered to the server through the outbox, the author sees it at once', async () => {
  const list = await driver.open(serveSite(driver, HOME));
  await expect.poll(() => badgeText(list, BEFORE!.key)).toBe('1 review');
  const tabId = await driver.background(async (bg) => (await bg.chrome.tabs.query({ url: 'https://worker.mturk.com/*' }))[0].id as number);
  const popup = await driver.openExtensionPage(`popup.html?tab=${tabId}&form=review&requester=${encodeURIComponent(MINE!.key)}`);
  const form = 'form[data-form="review"]';
  await expect.poll(() => textOf(popup, form)).toContain(MINE!.name);
  await setByLabel(popup, form, 'Task title', 'Categorize product listings');
  await setByLabel(popup, form, 'Task ID', '3AS5SGTU2GYRDPB34F61NLOFQ33W6Y');
  await setByLabel(popup, form, 'Reward', '3.00');
  await setByLabel(popup, form, 'Minutes worked', '12');
  await setByLabel(popup, form, 'Pay', '4');
  await setByLabel(popup, form, 'Your review', 'Fair pay, approved the next day.');
  await setByLabel(popup, form, 'Yes');
  const posted = proxy.seen.length;
  await popup.click(`${form} button[type="submit"]`);
  await expect.poll(() => textOf(popup, '[role="status"]')).toBe('Sent.');
  expect(proxy.seen.slice(posted)).toContain('POST /v1/reviews');
  expect((await status()).outbox).toEqual([]);
  const stored = new Database(server.database, { readonly: true });
  try {
    expect(stored.prepare('SELECT requester_key AS key, task_id AS task FROM reviews WHERE requester_key = ?').all(MINE!.key)).toEqual([{ key: MINE!.key, task: '3AS5SGTU2GYRDPB34F61NLOFQ33W6Y' }]);
  } finally {
    stored.close();
  }
  // The open task list shows the author's review without a reload.
  await expect.poll(() => badgeText(list, MINE!.key)).toBe('1 review');
  await popup.close();
  await list.close();
});

test('a review another worker writes arrives in a delta, not a snapshot, and the task list shows it', async () => {
  const before = await status();
  await postReview(server.url, await createAccount(server.url), review(LATER!.key, LATER!.name, { taskId: '3LATERTASK0XXXXXXXXXXXXXXXXXXX' }));
  const mark = proxy.seen.length;
  await sendUi(options, 'ui/sync-now');
  await expect.poll(async () => (await status()).sync.rows).toBe(3);
  const after = await status();
  expect(after.sync.version).not.toBe(before.sync.version);
  const sent = proxy.seen.slice(mark);
  expect(sent.some((r) => r.startsWith('GET /v1/sync/changes?since='))).toBe(true);
  expect(sent).not.toContain('GET /v1/sync/snapshot');
  // Nothing the background sent names a requester.
  for (const [id] of REQUESTERS) expect(proxy.seen.filter((r) => r.startsWith('GET')).join('\n')).not.toContain(id);

  const list = await driver.open(serveSite(driver, HOME));
  await expect.poll(() => badgeText(list, LATER!.key)).toBe('1 review');
  await expect.poll(() => badgeText(list, BEFORE!.key)).toBe('1 review');
  await list.close();
});

test("the detail card reads the requester's recent reviews from one hash-prefix bucket, whose address names no requester", async () => {
  const list = await driver.open(serveSite(driver, HOME));
  await expect.poll(() => badgeText(list, LATER!.key)).toBe('1 review');
  const mark = proxy.seen.length;
  await list.click(`lantern-badge[data-lantern-requester="${LATER!.key}"] >>> button`);
  const cardText = () => list.evaluate(() => document.querySelector('lantern-card')?.shadowRoot?.querySelector('[role="dialog"]')?.textContent ?? '');
  await expect.poll(cardText).toContain(review(LATER!.key, LATER!.name).text);
  expect(await cardText()).toContain(LATER!.name);
  const sent = proxy.seen.slice(mark);
  expect(sent).toHaveLength(1);
  // The prefix's length follows the server's size (empty for a handful of requesters).
  expect(sent[0]).toMatch(/^GET \/v1\/buckets\?prefix=[0-9a-f]*$/);
  expect(list.errors).toEqual([]);
  await list.close();
});
