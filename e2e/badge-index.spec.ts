/**
 * The badge index end to end: the background stores every requester's brief in
 * extension storage; the content script reads it and draws a badge in the same task that
 * added its row, before any answer from the background; the background's full answer then
 * replaces the brief — also when the index is wrong — and a broken index is ignored.
 */
import type { Page, Worker } from '@playwright/test';
import { UNKNOWN_BRIEF, type BadgeBrief } from '../src/core/badge-brief.js';
import { encodeBadgeIndex, type StoredBadgeIndex } from '../src/core/badge-index.js';
import type { RequesterKey } from '../src/core/requester-key.js';
import { expect, extensionPage, seedReplica, serveFixture, test } from './harness.js';
import { summaryFor } from './summaries.js';

const HOME_URL = 'https://worker.mturk.com/';
/** Requesters that are not on the fixture page: rows for them are added by the tests. */
const NEWCOMER = 'A2NEWCOMERREQ1';
const OTHER = 'A2NEWCOMERREQ2';

type Lantern = { lantern: { badgeIndexStatus(): { building: boolean; last: { rows: number } | null } } };

/** Waits until the background has stored an index with at least `rows` requesters. */
async function indexBuilt(background: Worker, rows: number): Promise<void> {
  await expect
    .poll(() => background.evaluate(() => (globalThis as unknown as Lantern).lantern.badgeIndexStatus()))
    .toMatchObject({ building: false, last: { rows: expect.any(Number) } });
  await expect.poll(async () => (await background.evaluate(() => (globalThis as unknown as Lantern).lantern.badgeIndexStatus())).last?.rows).toBeGreaterThanOrEqual(rows);
}

async function storeIndex(background: Worker, stored: unknown): Promise<void> {
  await background.evaluate((value) => (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set({ badgeIndex: value }), stored);
}

/** What the content script of the task page says about its badge index (through the popup's own message). */
async function tabIndexSize(page: Page, background: Worker): Promise<number | null> {
  const ext = await extensionPage(page.context(), background);
  try {
    return await ext.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number }[]>; sendMessage(id: number, m: unknown): Promise<{ ok: boolean; value: { badgeIndexSize: number | null } }> } } }).chrome;
      const [tab] = await chrome.tabs.query({ url: 'https://worker.mturk.com/*' });
      const reply = await chrome.tabs.sendMessage(tab!.id, { type: 'tab/page-info', payload: {} });
      return reply.value.badgeIndexSize;
    });
  } finally {
    await ext.close();
  }
}

/**
 * Adds a copy of the first task row for `requesterId` and reports its badge as it is once
 * the mutation observers have run — the same task, before anything else could happen.
 */
async function addRowAndLook(page: Page, requesterId: string) {
  return page.evaluate(async (id) => {
    const first = document.querySelector('li.hit-set-table-row')!;
    const row = first.cloneNode(true) as HTMLElement;
    for (const own of row.querySelectorAll('lantern-badge, lantern-banner')) own.remove();
    row.removeAttribute('data-lantern-filtered');
    for (const link of row.querySelectorAll('a[href*="/requesters/"]')) link.setAttribute('href', `/requesters/${id}/projects?ref=w_pl_prvw`);
    row.dataset.test = id;
    first.parentElement!.append(row);
    await Promise.resolve(); // mutation observers (Lantern's among them) run before this resumes
    const badge = row.querySelector<HTMLElement>('lantern-badge');
    return { level: badge?.dataset.lanternLevel ?? null, details: badge?.dataset.lanternDetails ?? null, text: badge?.shadowRoot?.textContent ?? null };
  }, requesterId);
}

const badgeOf = (page: Page, id: string) => page.locator(`li[data-test="${id}"] lantern-badge`);

test.beforeEach(async ({ context }) => {
  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
});

test('a row added later gets its badge in the same task, from the index; the full answer follows', async ({ context, background }) => {
  await seedReplica(background, [summaryFor(`mturk:${NEWCOMER}`, 'Newcomer Labs', 'danger'), summaryFor(`mturk:${OTHER}`, 'Other Labs', 'caution')]);
  await indexBuilt(background, 2);
  const page = await context.newPage();
  await page.goto(HOME_URL);
  await expect(page.locator('lantern-badge[data-lantern-details="full"]').first()).toBeVisible();
  await expect.poll(() => tabIndexSize(page, background)).toBe(2);

  // Drawn synchronously: level and words are there, the background has not answered yet.
  const seen = await addRowAndLook(page, NEWCOMER);
  expect(seen).toEqual({ level: 'danger', details: 'brief', text: expect.stringContaining('Suspensions') });
  await expect(badgeOf(page, NEWCOMER)).toHaveAttribute('data-lantern-details', 'full');
  await expect(badgeOf(page, NEWCOMER)).toHaveAttribute('data-lantern-level', 'danger');
  // The full answer brings what the brief lacks: the banner with its counts.
  await expect(page.locator(`li[data-test="${NEWCOMER}"] lantern-banner`)).toHaveCount(1);

  const caution = await addRowAndLook(page, OTHER);
  expect(caution).toMatchObject({ level: 'caution', details: 'brief', text: expect.stringContaining('$3.50/h') });
  // A requester the index doesn't hold: "no reviews yet" at once.
  expect(await addRowAndLook(page, 'A2NOBODYKNOWS9')).toMatchObject({ level: 'unknown', details: 'brief', text: expect.stringContaining('No reviews yet') });
});

test('the background’s answer wins over a wrong index', async ({ context, background }) => {
  await seedReplica(background, [summaryFor(`mturk:${NEWCOMER}`, 'Newcomer Labs', 'ok')]);
  await indexBuilt(background, 1);
  // An index that says "danger" for a requester the replica holds as ok.
  const lie: BadgeBrief = { ...UNKNOWN_BRIEF, level: 'danger' };
  const { pairs, size } = encodeBadgeIndex([[`mturk:${NEWCOMER}` as RequesterKey, lie]]);
  const forged: StoredBadgeIndex = { format: 1, builtAt: Date.now(), requesters: size, platforms: { mturk: true, prolific: true }, filterMode: 'dim', pairs };
  await storeIndex(background, forged);

  const page = await context.newPage();
  await page.goto(HOME_URL);
  await expect.poll(() => tabIndexSize(page, background)).toBe(1);
  expect(await addRowAndLook(page, NEWCOMER)).toMatchObject({ level: 'danger', details: 'brief' });
  await expect(badgeOf(page, NEWCOMER)).toHaveAttribute('data-lantern-details', 'full');
  await expect(badgeOf(page, NEWCOMER)).toHaveAttribute('data-lantern-level', 'ok');
  await expect(badgeOf(page, NEWCOMER).getByRole('button')).toHaveText(/\$12\.60\/h/);
});

test('a broken index is ignored: badges still come, from the background', async ({ context, background }) => {
  await seedReplica(background, [summaryFor(`mturk:${NEWCOMER}`, 'Newcomer Labs', 'caution')]);
  await indexBuilt(background, 1);
  await storeIndex(background, { format: 1, builtAt: Date.now(), requesters: 1, platforms: { mturk: true, prolific: true }, filterMode: 'dim', pairs: 'AAAA' });
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(HOME_URL);
  await expect(page.locator('lantern-badge[data-lantern-details="full"]').first()).toBeVisible();
  expect(await tabIndexSize(page, background)).toBeNull();
  // Without an index nothing is drawn in the same task…
  expect(await addRowAndLook(page, NEWCOMER)).toMatchObject({ level: null, details: null });
  // …but the background's answer draws it.
  await expect(badgeOf(page, NEWCOMER)).toHaveAttribute('data-lantern-level', 'caution');
  expect(errors).toEqual([]);
});

test('an open page follows the replica: a requester turned danger is shown so without a reload', async ({ context, background }) => {
  await seedReplica(background, [summaryFor(`mturk:${NEWCOMER}`, 'Newcomer Labs', 'ok')]);
  await indexBuilt(background, 1);
  const page = await context.newPage();
  await page.goto(HOME_URL);
  await expect(page.locator('lantern-badge[data-lantern-details="full"]').first()).toBeVisible();
  await addRowAndLook(page, NEWCOMER);
  await expect(badgeOf(page, NEWCOMER)).toHaveAttribute('data-lantern-level', 'ok');
  await seedReplica(background, [summaryFor(`mturk:${NEWCOMER}`, 'Newcomer Labs', 'danger')]);
  await expect(badgeOf(page, NEWCOMER)).toHaveAttribute('data-lantern-level', 'danger');
  await expect(page.locator(`li[data-test="${NEWCOMER}"] lantern-banner`)).toHaveCount(1);
});
