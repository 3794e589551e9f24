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
import { expect, test, type ExtensionDriver } from '../drivers/index.js';
import { summaryFor } from '../summaries.js';
import { badges, badgesPerRow, distinctRequesters, fixture, seedReplica, serveSite } from './fixtures.js';

const HOME = 'mturk-home.html';
/**
 * Firefox's idle time before suspending the event page (30 s by default). Not much shorter:
 * at 1.5 s Firefox suspended the background while it was still finishing a replica write
 * (the badge index update that follows it), and an open tab then waited for the next wake.
 */
const IDLE_MS = 5_000;
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
