/**
 * Badges in both browsers (projects `chromium` and `firefox`): every MTurk page type and
 * Prolific (whose researcher ids come from the main-world script), exactly one badge per
 * row through the pages' own re-renders, never the worker's id, and the detail card a
 * badge opens (injected with `scripting`). One browser for the whole file: every test
 * reads the same seeded replica.
 */
import { expect, launchDriver, test, type ExtensionDriver } from '../drivers/index.js';
import { artifactPath } from '../harness.js';
import { summaryFor, type SummaryState } from '../summaries.js';
import { badges, badgesPerRow, distinctRequesters, fixture, MTURK_WORKER_ID, seedReplica, serveSite } from './fixtures.js';

const HOME = 'mturk-home.html';
const STATES: SummaryState[] = ['danger', 'caution', 'ok', 'held'];
const HOME_REQUESTERS = distinctRequesters(HOME);
const PREVIEW = fixture('mturk-task-preview.html').requesters![0]!;
/** held shows no level (reviews waiting for moderation), like a requester with no data. */
const expectedLevel = (id: string) => {
  if (id === PREVIEW.id) return 'danger';
  const i = HOME_REQUESTERS.findIndex(([r]) => r === id);
  return i >= 0 && i < STATES.length && STATES[i] !== 'held' ? STATES[i]! : 'unknown';
};
const [RESEARCHER_A, RESEARCHER_B] = fixture('prolific-studies.html').requesters!;

let driver: ExtensionDriver;
test.beforeAll(async ({ lanternBrowser }) => {
  driver = await launchDriver(lanternBrowser);
  const seeded = await seedReplica(driver, [
    ...HOME_REQUESTERS.slice(0, STATES.length).map(([id, name], i) => summaryFor(`mturk:${id}`, name, STATES[i]!)),
    summaryFor(`mturk:${PREVIEW.id}`, PREVIEW.name, 'danger'),
    summaryFor(`prolific:${RESEARCHER_A!.id}`, RESEARCHER_A!.name, 'caution'),
    summaryFor(`prolific:${RESEARCHER_B!.id}`, RESEARCHER_B!.name, 'ok'),
  ]);
  expect(seeded).toBe(STATES.length + 3);
});
test.afterAll(async () => {
  await driver?.close();
});

test('home task list: one badge per row with the seeded level, through a re-render, and no request from the content script', async ({ lanternBrowser }) => {
  const url = serveSite(driver, HOME);
  const page = await driver.open(url);
  const rows = fixture(HOME).rows!;
  expect(rows).toHaveLength(fixture(HOME).expectedBadges);
  await expect.poll(async () => (await badges(page)).map((b) => b.requester)).toEqual(rows.map((r) => `mturk:${r.requesterId}`));
  await expect.poll(async () => (await badges(page)).filter((b) => b.level === '').length).toBe(0);
  const seen = await badges(page);
  for (const badge of seen) expect(badge.level, badge.requester).toBe(expectedLevel(badge.requester.slice('mturk:'.length)));
  expect(await badgesPerRow(page, 'li.hit-set-table-row')).toEqual(rows.map(() => 1));
  // The words, not just the level: the seeded 'ok' requester is paid $12.60 an hour.
  expect(seen.find((b) => b.level === 'ok')!.text).toMatch(/\$12\.60\/h/);
  expect(seen.find((b) => b.level === 'danger')!.text).toMatch(/Suspensions/);

  await page.evaluate(() => (window as unknown as { __fixture: { rerender(): void } }).__fixture.rerender());
  await expect.poll(() => badgesPerRow(page, 'li.hit-set-table-row')).toEqual(rows.map(() => 1));
  expect(JSON.stringify(await badges(page))).not.toContain(MTURK_WORKER_ID);

  await page.screenshot(artifactPath(`${lanternBrowser}-mturk-list.png`));
  if (lanternBrowser === 'firefox') await page.screenshot('/tmp/helpers/firefox-mturk-list.png').catch(() => undefined);
  // The page asked for itself and its icon; the content script asked nothing.
  expect(page.requests.filter((r) => !r.endsWith('/favicon.ico'))).toEqual([url]);
  expect(page.errors).toEqual([]);
});

for (const name of ['mturk-search.html', 'mturk-requester-projects.html']) {
  test(`${name}: one badge per row`, async () => {
    const page = await driver.open(serveSite(driver, name));
    const rows = fixture(name).rows!;
    // Each badge is drawn, then given its requester: wait for both.
    await expect.poll(async () => (await badges(page)).map((b) => b.requester)).toEqual(rows.map((r) => `mturk:${r.requesterId}`));
    expect(await badgesPerRow(page, 'li.hit-set-table-row')).toEqual(rows.map(() => 1));
    await page.close();
  });
}

for (const name of ['mturk-queue.html', 'mturk-status-details.html']) {
  test(`${name}: one badge per row, also after a re-render`, async () => {
    const page = await driver.open(serveSite(driver, name));
    const items = fixture(name).items!;
    expect(items).toHaveLength(fixture(name).expectedBadges);
    await expect.poll(async () => (await badges(page)).map((b) => b.requester)).toEqual(items.map((i) => `mturk:${i.requesterId}`));
    await page.evaluate(() => (window as unknown as { __fixture: { rerender(): void } }).__fixture.rerender());
    await expect.poll(() => badgesPerRow(page, 'li.table-row')).toEqual(items.map(() => 1));
    await page.close();
  });
}

test('task preview of a danger requester: its badge and the suspension banner; the accepted page: one badge', async () => {
  const preview = await driver.open(serveSite(driver, 'mturk-task-preview.html'));
  await expect.poll(async () => (await badges(preview)).map((b) => `${b.requester} ${b.level}`)).toEqual([`mturk:${PREVIEW.id} danger`]);
  await expect
    .poll(() => preview.evaluate(() => document.querySelector('lantern-banner')?.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? ''))
    .toContain('3 workers reported their account was suspended');
  await preview.close();

  const accepted = await driver.open(serveSite(driver, 'mturk-task-accepted.html'));
  await expect.poll(async () => (await badges(accepted)).map((b) => b.requester)).toEqual([`mturk:${fixture('mturk-task-accepted.html').requesters![0]!.id}`]);
  await accepted.close();
});

test('dashboard: nothing badged, the worker id neither touched nor kept', async () => {
  const page = await driver.open(serveSite(driver, 'mturk-dashboard.html'));
  // The content script leaves nothing here; a later task page proves it ran in this browser.
  expect(await page.evaluate(() => document.querySelector('.worker-id-value')?.textContent)).toBe(MTURK_WORKER_ID);
  expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toMatch(/lantern-/);
  const stored = await driver.background(async (bg) => JSON.stringify(await bg.chrome.storage.local.get(null)));
  expect(stored).not.toContain(MTURK_WORKER_ID);
  await page.close();
});

test('a changed MTurk layout (garbled props, renamed classes, links without a valid id): no badge and no error', async () => {
  const page = await driver.open(serveSite(driver, 'mturk-changed.html'));
  // The content script runs here (the URL is the home page's, badged in full above); it
  // finds nothing it can trust. Checked once the page has drawn (two frames after load).
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await badges(page)).toEqual([]);
  expect(page.errors).toEqual([]);
  await page.close();
});

test('Prolific studies: researcher ids from the main-world script, one badge per study through a refresh; the study page', async () => {
  const page = await driver.open(serveSite(driver, 'prolific-studies.html'));
  const items = fixture('prolific-studies.html').items!;
  expect(items).toHaveLength(fixture('prolific-studies.html').expectedBadges);
  // Keyed by id (prolific:…), not by name: the ids came from the page's own API response.
  await expect.poll(async () => (await badges(page)).map((b) => b.requester)).toEqual(items.map((i) => `prolific:${i.requesterId}`));
  await expect.poll(async () => (await badges(page)).filter((b) => b.level === '').length).toBe(0);
  const seen = await badges(page);
  expect(seen.find((b) => b.requester === `prolific:${RESEARCHER_A!.id}`)!.level).toBe('caution');
  expect(seen.find((b) => b.requester === `prolific:${RESEARCHER_B!.id}`)!.level).toBe('ok');
  expect(await page.evaluate(() => document.documentElement.hasAttribute('data-lantern-researchers'))).toBe(true);
  await page.click('[data-testid="refresh-studies"]');
  await expect.poll(() => badgesPerRow(page, 'li[data-testid^="study-"]')).toEqual(items.map(() => 1));
  await page.close();

  const study = await driver.open(serveSite(driver, 'prolific-study.html'));
  await expect.poll(async () => (await badges(study)).map((b) => b.requester)).toEqual([`prolific:${fixture('prolific-study.html').requesters![0]!.id}`]);
  await study.close();
});

test('a click on a badge opens its detail card (injected on first use) with the requester and its numbers', async () => {
  const page = await driver.open(serveSite(driver, HOME));
  const [dangerId, dangerName] = HOME_REQUESTERS[0]!;
  await expect.poll(async () => (await badges(page)).filter((b) => b.level !== '').length).toBe(fixture(HOME).expectedBadges);
  await page.click(`lantern-badge[data-lantern-requester="mturk:${dangerId}"] >>> button`);
  const cardText = () => page.evaluate(() => document.querySelector('lantern-card')?.shadowRoot?.querySelector('[role="dialog"]')?.textContent ?? '');
  await expect.poll(cardText).toContain(dangerName);
  const text = await cardText();
  expect(text).toContain('Last 90 days');
  expect(text).toContain('All time');
  // Names stay text: the requester's "<b>" arrives as characters, never as an element.
  expect(await page.evaluate(() => document.querySelector('lantern-card')!.shadowRoot!.querySelectorAll('b').length)).toBe(0);
  expect(page.errors).toEqual([]);
  await page.close();
});
