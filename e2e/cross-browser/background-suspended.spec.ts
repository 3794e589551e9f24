/**
 * A background that was suspended between two page visits: Firefox runs it as an event
 * page that is suspended when idle (its in-memory state lost), Chrome as a service worker
 * stopped the same way. The second visit must still get every badge right, and the full
 * answers (the danger banners come only from the background's lookup, not from the badge
 * index in storage) — from a background rebuilt from what it stored. A task list left open
 * across the suspension (its connection to the background cut) must ask again and be answered.
 *
 * Suspension is proven, not assumed: a marker put on the background's global before is
 * gone after (a new instance), and the driver saw the background not running in between
 * (Firefox: `extension.getBackgroundPage()` is null, asked without waking it).
 */
import { createAccount, postReview, review } from '../api-client.js';
import { expect, test, type DriverPage, type ExtensionDriver } from '../drivers/index.js';
import { startTestServer, type TestServer } from '../server.js';
import { summaryFor } from '../summaries.js';
import { badges, badgesPerRow, distinctRequesters, fixture, seedReplica, serveSite, textOf } from './fixtures.js';
import { startHoldingProxy, type HoldingProxy } from './holding-proxy.js';

const HOME = 'mturk-home.html';
/**
 * Firefox's idle time before suspending the event page (30 s by default), short so the
 * tests below see it pass: work that must finish (a sync, the badge index update after a
 * replica write) keeps the background running however long it takes (keep-alive.ts), and
 * what a stopped background left undone is taken up at its next start (index-debt.ts).
 */
const IDLE_MS = 1_500;
const [DANGER, CAUTION] = distinctRequesters(HOME);
const dangerRows = fixture(HOME).rows!.filter((r) => r.requesterId === DANGER![0]).length;

async function visit(driver: ExtensionDriver) {
  const page = await driver.open(serveSite(driver, HOME));
  await expect.poll(() => page.evaluate(() => document.querySelectorAll('lantern-banner').length)).toBe(dangerRows);
  const seen = await badges(page);
  expect(seen.filter((b) => b.requester === `mturk:${DANGER![0]}`).map((b) => b.level)).toEqual(Array(dangerRows).fill('danger'));
  expect(seen.find((b) => b.requester === `mturk:${CAUTION![0]}`)?.level).toBe('caution');
  expect(await badgesPerRow(page, 'li.hit-set-table-row')).toEqual(fixture(HOME).rows!.map(() => 1));
  expect(page.errors).toEqual([]);
  await page.close();
}

test('after the background was suspended, a page visit wakes it and every badge and banner is right', async ({ launch }) => {
  const driver = await launch({ backgroundIdleMs: IDLE_MS });
  expect(await seedReplica(driver, [summaryFor(`mturk:${DANGER![0]}`, DANGER![1], 'danger'), summaryFor(`mturk:${CAUTION![0]}`, CAUTION![1], 'caution')])).toBe(2);
  await visit(driver);

  await driver.background((bg) => {
    bg.__lanternTestMarker = 'before suspension';
  });
  await driver.suspendBackground();
  expect(await driver.backgroundRunning()).toBe(false);

  await visit(driver);
  expect(await driver.backgroundRunning()).toBe(true);
  expect(await driver.background((bg) => bg.__lanternTestMarker ?? null)).toBeNull();
});

test('a task list left open while the background was suspended asks it again and gets its answer', async ({ launch }) => {
  const driver = await launch({ backgroundIdleMs: IDLE_MS });
  await seedReplica(driver, [summaryFor(`mturk:${CAUTION![0]}`, CAUTION![1], 'caution')]);
  const list = await driver.open(serveSite(driver, HOME));
  const cautionText = async () => (await badges(list)).find((b) => b.requester === `mturk:${CAUTION![0]}`)?.text ?? '';
  await expect.poll(cautionText).toMatch(/\$3\.50\/h/);

  await driver.background((bg) => {
    bg.__lanternTestMarker = 'before suspension';
  });
  // The tab's connection to the background (content scripts ask over a port) is cut by the suspension.
  await driver.suspendBackground();

  // New data reaches the replica (as a sync would write it): the open list is told through
  // storage and asks the woken background over a new connection. The banner comes only
  // from that answer (the badge index in storage carries no banner).
  await seedReplica(driver, [summaryFor(`mturk:${DANGER![0]}`, DANGER![1], 'danger')]);
  await expect.poll(() => list.evaluate(() => document.querySelectorAll('lantern-banner').length)).toBe(dangerRows);
  expect(await cautionText()).toMatch(/\$3\.50\/h/);
  expect(await driver.background((bg) => bg.__lanternTestMarker ?? null)).toBeNull();
  expect(list.errors).toEqual([]);
});

/**
 * A sync across the idle time. It tells the badge index what it wrote once, at its end, so
 * with its snapshot written and its delta's answer held at a proxy, an open task list has
 * not been told yet. Without keep-alive Firefox suspended the event page here (neither a
 * fetch in flight nor IndexedDB counts as activity) and the list stayed stale until
 * something woke the background; a background stopped anyway must follow the write up at
 * its next start.
 */
test.describe('a sync in flight when the background would idle', () => {
  const [id, name] = distinctRequesters(HOME)[2]!;
  const REVIEWED = { key: `mturk:${id}`, name };
  let server: TestServer;
  let proxy: HoldingProxy;

  test.beforeEach(async () => {
    server = await startTestServer();
    proxy = await startHoldingProxy(server.url);
    await postReview(server.url, await createAccount(server.url), review(REVIEWED.key, REVIEWED.name));
  });
  test.afterEach(async () => {
    await proxy?.close();
    await server?.stop();
  });

  const badgeText = async (page: DriverPage) => (await badges(page)).find((b) => b.requester === REVIEWED.key)?.text ?? null;

  /** An open task list, then the server typed in the options page (closed after: it polls the background) while the delta is held. */
  async function syncHeldAtDelta(driver: ExtensionDriver): Promise<DriverPage> {
    const list = await driver.open(serveSite(driver, HOME));
    await expect.poll(() => badgeText(list)).not.toBeNull();
    expect(await badgeText(list)).not.toBe('1 review');
    proxy.hold('GET /v1/sync/changes');
    const options = await driver.openExtensionPage('options.html');
    await options.type('[data-section="server"] input[type="url"]', proxy.url);
    await options.click('[data-section="server"] button[type="submit"]');
    await expect.poll(() => textOf(options, '[data-section="server"] [role="status"]')).toContain('Server saved.');
    await options.close();
    // The snapshot is in the replica (the delta is asked for after it), the index not told.
    await expect.poll(() => proxy.waiting, { timeout: 30_000 }).toBe(1);
    expect(proxy.seen).toContain('GET /v1/sync/snapshot');
    return list;
  }

  /**
   * Whether the background stops within `ms`. A fixed span on purpose: what is proven is
   * that nothing happens (no suspension) across several idle times; it is polled, so a stop
   * is seen as soon as it happens.
   */
  async function stopsWithin(driver: ExtensionDriver, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (!(await driver.backgroundRunning())) return true;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return false;
  }

  test('the background keeps running until the sync ends, and the open list then shows what it wrote', async ({ launch }) => {
    const driver = await launch({ backgroundIdleMs: IDLE_MS });
    const list = await syncHeldAtDelta(driver);
    const stopped = await stopsWithin(driver, 3 * IDLE_MS);
    proxy.release();
    await expect.poll(() => badgeText(list), { timeout: 30_000 }).toBe('1 review');
    expect(stopped).toBe(false);
    expect(list.errors).toEqual([]);
  });

  test('a background stopped before the sync told the index follows the write up at its next start', async ({ launch, lanternBrowser }) => {
    test.skip(lanternBrowser === 'firefox', 'Firefox stops an event page only when it idles, which a sync in flight now prevents (the test above); the follow-up at start is the same code in both browsers');
    const driver = await launch({ backgroundIdleMs: IDLE_MS });
    const list = await syncHeldAtDelta(driver);
    await driver.background((bg) => {
      bg.__lanternTestMarker = 'before suspension';
    });
    await driver.suspendBackground();
    // Woken by a message; its start follows up the snapshot it never told the index of,
    // while its new sync waits for the still-held delta (no sync's end tells the index).
    expect(await driver.background((bg) => bg.__lanternTestMarker ?? null)).toBeNull();
    await expect.poll(() => badgeText(list), { timeout: 30_000 }).toBe('1 review');
    // No sync ended: every delta asked for is still held.
    expect(proxy.waiting).toBe(proxy.seen.filter((line) => line.startsWith('GET /v1/sync/changes')).length);
    proxy.release();
    expect(list.errors).toEqual([]);
  });
});
