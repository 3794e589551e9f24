/**
 * Every page type Lantern reads — MTurk's task page, queue, status details and dashboard,
 * and Prolific's studies list and study page — and every state a badge can show.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { artifactPath, expect, extensionPage, FIXTURES_DIR, seedReplica, sendUi, serveFixture, test } from './harness.js';
import { summaryFor, type SummaryState } from './summaries.js';

interface PagesFixture {
  url: string;
  requesters: { id: string; name: string }[];
  expectedBadges: number;
  items: { requesterId: string }[];
}
const PAGES = JSON.parse(readFileSync(join(FIXTURES_DIR, 'pages-fixtures.json'), 'utf8')) as {
  prolificApi: { url: string; file: string };
  fixtures: Record<string, PagesFixture>;
};
const page_ = (name: string) => PAGES.fixtures[name]!;

async function seed(background: Worker, platform: 'mturk' | 'prolific', entries: [id: string, name: string, state: SummaryState][]) {
  await seedReplica(background, entries.map(([id, name, state]) => summaryFor(`${platform}:${id}`, name, state)));
}

async function open(context: BrowserContext, name: string): Promise<Page> {
  const fixture = page_(name);
  await serveFixture(context, `${new URL(fixture.url).origin}/**`, name);
  const page = await context.newPage();
  await page.goto(fixture.url);
  return page;
}

const badge = (page: Page, key: string) => page.locator(`lantern-badge[data-lantern-requester="${key}"]`);

async function oneBadgePerRow(page: Page, rowSelector: string) {
  return page.evaluate((selector) => [...document.querySelectorAll(selector)].map((row) => row.querySelectorAll('lantern-badge').length), rowSelector);
}

test.describe('Mechanical Turk', () => {
  test('task page of a danger requester: badge, banner, and an Accept that asks for a second click', async ({ context, background }) => {
    const [requester] = page_('mturk-task-preview.html').requesters;
    await seed(background, 'mturk', [[requester!.id, requester!.name, 'danger']]);
    const page = await open(context, 'mturk-task-preview.html');
    const key = `mturk:${requester!.id}`;
    await expect(badge(page, key)).toHaveAttribute('data-lantern-level', 'danger');
    const banner = page.locator(`lantern-banner[data-lantern-requester="${key}"]`);
    await expect(banner.getByRole('alert')).toContainText('3 workers reported their account was suspended');
    await expect(banner.getByRole('alert')).toContainText('Not yet confirmed by a moderator');
    await page.screenshot({ path: artifactPath('mturk-task-danger-banner.png') });

    const accept = page.locator('.work-pipeline-action form[action*="accept"] button[type="submit"]');
    await accept.click();
    await expect(page.locator('lantern-accept-warning').getByRole('alert')).toContainText('Click Accept again');
    // The first click was stopped before the form could submit.
    await expect(page.locator('body')).not.toHaveAttribute('data-accepted', 'true');
    await page.screenshot({ path: artifactPath('mturk-task-accept-guard.png') });
    await accept.click();
    await expect(page.locator('body')).toHaveAttribute('data-accepted', 'true');
  });

  test('task page of an ok requester: Accept works at the first click', async ({ context, background }) => {
    const [requester] = page_('mturk-task-preview.html').requesters;
    await seed(background, 'mturk', [[requester!.id, requester!.name, 'ok']]);
    const page = await open(context, 'mturk-task-preview.html');
    await expect(badge(page, `mturk:${requester!.id}`)).toHaveAttribute('data-lantern-level', 'ok');
    await page.locator('.work-pipeline-action form[action*="accept"] button[type="submit"]').click();
    await expect(page.locator('body')).toHaveAttribute('data-accepted', 'true');
    await expect(page.locator('lantern-banner')).toHaveCount(0);
  });

  test('accepted task page: one badge for its requester', async ({ context }) => {
    const fixture = page_('mturk-task-accepted.html');
    const page = await open(context, 'mturk-task-accepted.html');
    await expect(badge(page, `mturk:${fixture.requesters[0]!.id}`)).toHaveCount(1);
  });

  for (const [name, rowSelector] of [
    ['mturk-queue.html', 'li.table-row'],
    ['mturk-status-details.html', 'li.table-row'],
  ] as const) {
    test(`${name}: one badge per row, also after a re-render`, async ({ context }) => {
      const fixture = page_(name);
      const page = await open(context, name);
      await expect(page.locator('lantern-badge[data-lantern-level]')).toHaveCount(fixture.expectedBadges);
      const keys = await page.locator('lantern-badge').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.lanternRequester));
      expect(keys).toEqual(fixture.items.map((i) => `mturk:${i.requesterId}`));
      await page.evaluate(() => (window as unknown as { __fixture: { rerender(): void } }).__fixture.rerender());
      await expect.poll(() => oneBadgePerRow(page, rowSelector)).toEqual(fixture.items.map(() => 1));
    });
  }

  test('dashboard: nothing badged, the worker id untouched', async ({ context, background }) => {
    const page = await open(context, 'mturk-dashboard.html');
    // Wait until the content script has certainly run: it reports nothing, so check the DOM settles.
    await page.waitForLoadState('load');
    await expect(page.locator('.worker-id-value')).toHaveText('A3WORKERID0OWN7');
    const html = await page.content();
    expect(html).not.toMatch(/lantern-/);
    // And the background never saw the worker's id.
    const seen = await background.evaluate(async () => JSON.stringify(await (globalThis as unknown as { chrome: { storage: { local: { get(): Promise<unknown> } } } }).chrome.storage.local.get()));
    expect(seen).not.toContain('A3WORKERID0OWN7');
  });
});

test.describe('Prolific', () => {
  async function routeApi(context: BrowserContext, body?: string) {
    const json = body ?? readFileSync(join(FIXTURES_DIR, PAGES.prolificApi.file), 'utf8');
    await context.route(PAGES.prolificApi.url, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: json, headers: { 'access-control-allow-origin': '*' } }));
  }

  test('studies list: researchers keyed by their id from the page’s own study list', async ({ context, background }) => {
    const fixture = page_('prolific-studies.html');
    const [first, second] = fixture.requesters;
    await seed(background, 'prolific', [
      [first!.id, first!.name, 'caution'],
      [second!.id, second!.name, 'ok'],
    ]);
    await routeApi(context);
    const page = await open(context, 'prolific-studies.html');
    await expect(page.locator('lantern-badge[data-lantern-level]')).toHaveCount(fixture.expectedBadges);
    const keys = await page.locator('lantern-badge').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.lanternRequester));
    expect(keys).toEqual(fixture.items.map((i) => `prolific:${i.requesterId}`));
    await expect(badge(page, `prolific:${first!.id}`).first()).toHaveAttribute('data-lantern-level', 'caution');
    await expect(badge(page, `prolific:${second!.id}`).first()).toHaveAttribute('data-lantern-level', 'ok');
    // The participant's own id in the header is not read.
    await expect(page.locator('[data-testid="participant-id"] ~ lantern-badge, [data-testid="account-menu"] lantern-badge')).toHaveCount(0);
    await page.screenshot({ path: artifactPath('prolific-studies.png') });
    // A refresh re-renders every card: still one badge each.
    await page.click('[data-testid="refresh-studies"]');
    await expect.poll(() => oneBadgePerRow(page, 'li[data-testid^="study-"]')).toEqual(fixture.items.map(() => 1));
  });

  test('study page: one badge for its researcher', async ({ context }) => {
    const fixture = page_('prolific-study.html');
    await routeApi(context);
    const page = await open(context, 'prolific-study.html');
    await expect(badge(page, `prolific:${fixture.requesters[0]!.id}`)).toHaveCount(1);
  });

  test('without researcher ids, researchers are keyed by name and marked so', async ({ context }) => {
    const api = JSON.parse(readFileSync(join(FIXTURES_DIR, PAGES.prolificApi.file), 'utf8')) as { results: { researcher: { id?: string } }[] };
    for (const study of api.results) delete study.researcher.id;
    await routeApi(context, JSON.stringify(api));
    const page = await open(context, 'prolific-studies.html');
    await expect(page.locator('lantern-badge[data-lantern-level]')).toHaveCount(page_('prolific-studies.html').expectedBadges);
    const keys = await page.locator('lantern-badge').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.lanternRequester!));
    expect(keys.every((k) => k.startsWith('prolific-name:'))).toBe(true);
    await expect(page.locator('lantern-badge').first().getByRole('button')).toHaveAttribute('aria-label', /matched by name/);
  });
});

test.describe('states and filters on a task list', () => {
  const HOME = 'mturk-home.html';

  test('unknown, ok, caution, danger and held-for-review each read in words', async ({ context, background }) => {
    const rows = (JSON.parse(readFileSync(join(FIXTURES_DIR, 'mturk-fixtures.json'), 'utf8')) as { fixtures: Record<string, { rows: { requesterId: string; requesterName: string }[] }> }).fixtures[HOME]!.rows;
    const distinct = [...new Map(rows.map((r) => [r.requesterId, r.requesterName])).entries()];
    const states: SummaryState[] = ['ok', 'caution', 'danger', 'held'];
    await seed(background, 'mturk', distinct.slice(0, 4).map(([id, name], i) => [id, name, states[i]!]));
    await serveFixture(context, 'https://worker.mturk.com/**', HOME);
    const page = await context.newPage();
    await page.goto('https://worker.mturk.com/');
    const text = (id: string) => badge(page, `mturk:${id}`).first().getByRole('button');
    await expect(text(distinct[0]![0])).toHaveText(/\$12\.60\/h/);
    await expect(text(distinct[1]![0])).toHaveText(/\$3\.50\/h/);
    await expect(text(distinct[2]![0])).toHaveText(/Suspensions/);
    await expect(text(distinct[3]![0])).toHaveText(/Reviews held/);
    await expect(text(distinct[3]![0])).toHaveAttribute('aria-label', /held for moderation/);
    await expect(text(distinct[4]![0])).toHaveText(/No reviews yet/);
  });

  test('blocked and under-threshold requesters are hidden, counted, and can be shown', async ({ context, background }) => {
    const ext = await extensionPage(context, background);
    await seed(background, 'mturk', [['APA5QKHYESAA', 'Müller & Søn', 'caution']]);
    await sendUi(ext, 'ui/settings-set', { filterMode: 'hide', blocklist: [{ key: 'mturk:A1Y7GHB2KXT0RQ', name: 'Pinnacle Transcription, LLC', addedOn: '2026-11-23' }] });
    await serveFixture(context, 'https://worker.mturk.com/**', HOME);
    const page = await context.newPage();
    await page.goto('https://worker.mturk.com/');
    const hiddenRows = page.locator('li.table-row[data-lantern-filtered="hide"]');
    // Müller & Søn has 3 rows (under the pay threshold), Pinnacle 2 rows (blocked).
    await expect(hiddenRows).toHaveCount(5);
    await expect(hiddenRows.first()).toBeHidden();
    const notice = page.locator('lantern-notice');
    await expect(notice.getByRole('status')).toContainText('Lantern hid 5 tasks');
    await notice.getByRole('button', { name: 'Show them' }).click();
    await expect(page.locator('li.table-row[data-lantern-filtered="shown"]')).toHaveCount(5);
    await expect(page.locator('li.table-row[data-lantern-filtered="shown"]').first()).toBeVisible();
    // Dimming instead: the rows stay, faded.
    await sendUi(ext, 'ui/settings-set', { filterMode: 'dim' });
    await notice.getByRole('button', { name: 'Hide them again' }).click();
    await expect(page.locator('li.table-row[data-lantern-filtered="dim"]')).toHaveCount(5);
    await expect(page.locator('li.table-row[data-lantern-filtered="dim"]').first()).toHaveCSS('filter', 'grayscale(1)');
  });
});
