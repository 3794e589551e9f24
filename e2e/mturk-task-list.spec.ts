/**
 * The foundation path end to end: built extension in real Chromium, summaries put into
 * its IndexedDB through the background's replica code, MTurk task-list fixtures served
 * at their real URLs, and one badge per task row with the right level.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Request } from '@playwright/test';
import { artifactPath, expect, FIXTURES_DIR, seedReplica, serveFixture, test } from './harness.js';
import { summaryFor, type SummaryState } from './summaries.js';

interface FixtureRow {
  requesterId: string;
  requesterName: string;
}
interface Fixture {
  url: string;
  workerId: string;
  rows: FixtureRow[];
  expectedBadges: number;
}
const FIXTURES = (JSON.parse(readFileSync(join(FIXTURES_DIR, 'mturk-fixtures.json'), 'utf8')) as { fixtures: Record<string, Fixture> }).fixtures;

function fixture(name: string): Fixture {
  const found = FIXTURES[name];
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

const distinct = (rows: FixtureRow[]) => [...new Map(rows.map((r) => [r.requesterId, r.requesterName])).entries()];

/** The first requesters on the home page get one state each; the rest have no data. */
const HOME = fixture('mturk-home.html');
const STATES: SummaryState[] = ['danger', 'caution', 'ok', 'held'];
const EXPECTED_LEVEL = new Map<string, string>(distinct(HOME.rows).map(([id], i) => [id, i < STATES.length ? (STATES[i] === 'held' ? 'unknown' : STATES[i]!) : 'unknown']));

async function seedHome(background: Parameters<typeof seedReplica>[0]) {
  const summaries = distinct(HOME.rows)
    .slice(0, STATES.length)
    .map(([id, name], i) => summaryFor(`mturk:${id}`, name, STATES[i]!));
  expect(await seedReplica(background, summaries)).toBe(STATES.length);
}

/** Badges per data row, and the requester/level each carries, read from the host elements. */
async function badgeReport(page: Page) {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('li.hit-set-table-row')];
    return {
      perRow: rows.map((row) => row.querySelectorAll('lantern-badge').length),
      badges: [...document.querySelectorAll<HTMLElement>('lantern-badge')].map((el) => ({
        requester: el.dataset.lanternRequester ?? '',
        level: el.dataset.lanternLevel ?? '',
        rowRequester: el.closest('li')?.querySelector('a[href*="/requesters/"]')?.getAttribute('href') ?? '',
      })),
    };
  });
}

function recordRequests(context: BrowserContext): Request[] {
  const requests: Request[] = [];
  context.on('request', (request) => requests.push(request));
  return requests;
}

test('badges every requester on the home task list with its level, once per row', async ({ context, background }) => {
  await seedHome(background);
  const requests = recordRequests(context);
  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(HOME.url);

  await expect(page.locator('lantern-badge[data-lantern-level]')).toHaveCount(HOME.expectedBadges);
  const report = await badgeReport(page);
  expect(report.perRow).toEqual(HOME.rows.map(() => 1));
  for (const badge of report.badges) {
    const id = badge.requester.replace(/^mturk:/, '');
    expect(badge.rowRequester).toContain(`/requesters/${id}/`);
    expect(badge.level, `level of ${id}`).toBe(EXPECTED_LEVEL.get(id));
  }
  // Every level shows up: the seeded ones and "no reviews yet" for the rest.
  expect(new Set(report.badges.map((b) => b.level))).toEqual(new Set(['danger', 'caution', 'ok', 'unknown']));
  // The worker's own id in the top bar is never badged.
  expect(report.badges.some((b) => b.requester.includes(HOME.workerId))).toBe(false);
  await expect(page.locator('.me-bar lantern-badge')).toHaveCount(0);

  await page.screenshot({ path: artifactPath('mturk-home-badges.png'), fullPage: false });
  expect(pageErrors).toEqual([]);
  // Browsing sent nothing but the page's own document request: the extension stayed off the network.
  expect(requests.map((r) => r.url())).toEqual([HOME.url]);
});

test('badges say their level in words and render requester names as text', async ({ context, background }) => {
  await seedHome(background);
  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
  const page = await context.newPage();
  await page.goto(HOME.url);
  await expect(page.locator('lantern-badge[data-lantern-level]')).toHaveCount(HOME.expectedBadges);

  const [dangerId] = distinct(HOME.rows)[0]!;
  const danger = page.locator(`lantern-badge[data-lantern-requester="mturk:${dangerId}"]`).first().getByRole('button');
  await expect(danger).toHaveText(/Suspensions/);
  await expect(danger).toHaveAttribute('aria-label', /danger.*3 workers reported their account was suspended/);
  const [unseededId] = distinct(HOME.rows)[STATES.length]!;
  await expect(page.locator(`lantern-badge[data-lantern-requester="mturk:${unseededId}"]`).first().getByRole('button')).toHaveText(/No reviews yet/);
  const caution = page.locator('lantern-badge[data-lantern-level="caution"]').first().getByRole('button');
  await expect(caution).toHaveText(/\$3\.50\/h/);

  // Keyboard: the badge is focusable and opens its detail card with Enter.
  await danger.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('lantern-card').getByRole('dialog')).toBeVisible();

  // A name with markup in it stays text: no <b> element inside any badge.
  const markupName = HOME.rows.find((r) => r.requesterName.includes('<b>'));
  expect(markupName, 'fixture has a requester name with markup').toBeTruthy();
  const host = page.locator(`lantern-badge[data-lantern-requester="mturk:${markupName!.requesterId}"]`).first();
  await expect(host.getByRole('button')).toHaveAttribute('aria-label', new RegExp(`^Lantern rating for <b>Bold</b>`));
  expect(await host.evaluate((el) => el.shadowRoot!.querySelectorAll('b').length)).toBe(0);
});

test('re-renders, sorting and remounting keep exactly one badge per row', async ({ context, background }) => {
  await seedHome(background);
  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
  const page = await context.newPage();
  await page.goto(HOME.url);
  await expect(page.locator('lantern-badge[data-lantern-level]')).toHaveCount(HOME.expectedBadges);

  const oneBadgePerRowMatchingItsLink = async () => {
    const report = await badgeReport(page);
    const allMatch = report.badges.every((b) => b.rowRequester.includes(`/requesters/${b.requester.replace('mturk:', '')}/`));
    return { perRow: report.perRow, total: report.badges.length, allMatch };
  };
  const expected = { perRow: HOME.rows.map(() => 1), total: HOME.expectedBadges, allMatch: true };

  await page.click('.expand-projects-button');
  await expect.poll(oneBadgePerRowMatchingItsLink).toEqual(expected);
  await page.click('[data-testid="sort-reward"]');
  await expect.poll(oneBadgePerRowMatchingItsLink).toEqual(expected);
  await page.evaluate(() => (window as unknown as { __fixture: { remount(): void } }).__fixture.remount());
  await expect.poll(oneBadgePerRowMatchingItsLink).toEqual(expected);
  await page.evaluate(() => (window as unknown as { __fixture: { rerender(): void } }).__fixture.rerender());
  await expect.poll(oneBadgePerRowMatchingItsLink).toEqual(expected);
  // Levels survive the re-renders too.
  const levels = (await badgeReport(page)).badges.map((b) => [b.requester.replace('mturk:', ''), b.level]);
  for (const [id, level] of levels) expect(level).toBe(EXPECTED_LEVEL.get(id!));
});

for (const name of ['mturk-search.html', 'mturk-requester-projects.html']) {
  test(`badges every row of ${name}`, async ({ context }) => {
    const page_ = fixture(name);
    await serveFixture(context, 'https://worker.mturk.com/**', name);
    const page = await context.newPage();
    await page.goto(page_.url);
    await expect(page.locator('lantern-badge[data-lantern-level="unknown"]')).toHaveCount(page_.expectedBadges);
    const report = await badgeReport(page);
    expect(report.perRow).toEqual(page_.rows.map(() => 1));
    expect(new Set(report.badges.map((b) => b.requester))).toEqual(new Set(page_.rows.map((r) => `mturk:${r.requesterId}`)));
  });
}

test('a page whose structure changed gets no badge and no error, and the background counts it', async ({ context, background }) => {
  const changed = fixture('mturk-changed.html');
  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-changed.html');
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(changed.url);
  // The content script reports what it could not read; wait for the background to count it.
  const diagnostics = () =>
    background.evaluate(async () => {
      const storage = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage;
      return (await storage.local.get('diagnostics')).diagnostics as Record<string, number> | undefined;
    });
  await expect.poll(async () => Object.keys((await diagnostics()) ?? {}).length).toBeGreaterThan(0);
  expect(Object.keys((await diagnostics())!).every((k) => k.startsWith('mturk/task-list/'))).toBe(true);
  await expect(page.locator('lantern-badge')).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});

test('crossing the mobile breakpoint moves each badge to the visible requester link', async ({ context }) => {
  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
  const page = await context.newPage();
  await page.goto(HOME.url);
  await expect(page.locator('lantern-badge[data-lantern-level]')).toHaveCount(HOME.expectedBadges);
  const placement = () =>
    page.evaluate(() => {
      const badges = [...document.querySelectorAll('li.hit-set-table-row lantern-badge')];
      return { total: badges.length, inMobile: badges.filter((b) => b.closest('.mobile-row')).length, visible: badges.filter((b) => b.checkVisibility()).length };
    });
  expect(await placement()).toEqual({ total: HOME.expectedBadges, inMobile: 0, visible: HOME.expectedBadges });
  await page.setViewportSize({ width: 600, height: 900 });
  await expect.poll(placement).toEqual({ total: HOME.expectedBadges, inMobile: HOME.expectedBadges, visible: HOME.expectedBadges });
});
