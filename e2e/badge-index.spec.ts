/**
 * The badge index end to end: the background stores every requester's brief in
 * extension storage, in shards; the content script reads only the index's meta at start
 * and a shard when a requester of it is first on the page, and draws that badge from the
 * index before any answer from the background (held here, so the order is certain) — in
 * the same task that added the row once its shard was read; the background's full answer
 * then replaces the brief — also when the index is wrong — and a broken index is ignored.
 */
import type { Page, Worker } from '@playwright/test';
import { packBrief, UNKNOWN_BRIEF, type BadgeBrief } from '../src/core/badge-brief.js';
import { BADGE_INDEX_META_KEY, encodeShards, NO_THRESHOLDS, SHARD_BITS, SHARD_COUNT, shardKey, type StoredBadgeIndexMeta } from '../src/core/badge-index.js';
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

/** Stores a whole index as the background would: the meta and every shard ('' when empty). */
async function storeIndex(background: Worker, meta: unknown, entries: [RequesterKey, BadgeBrief][] = []): Promise<void> {
  const shards = encodeShards(entries.map(([key, brief]) => [key, { brief: packBrief(brief), ratingMin: Number.NaN, payCents: -1 }]));
  const items: Record<string, unknown> = { [BADGE_INDEX_META_KEY]: meta };
  for (let shard = 0; shard < SHARD_COUNT; shard++) items[shardKey(shard)] = shards.get(shard) ?? '';
  await background.evaluate((value) => (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set(value), items);
}

const metaFor = (requesters: number): StoredBadgeIndexMeta => ({
  format: 2,
  shardBits: SHARD_BITS,
  version: 1_000,
  builtAt: Date.now(),
  requesters,
  platforms: { mturk: true, prolific: true },
  filterMode: 'dim',
  thresholds: NO_THRESHOLDS,
  blocked: [],
});

/** What the content script of the task page says about its badge index (through the popup's own message). */
async function tabIndexSize(page: Page, background: Worker): Promise<number | null> {
  return (await tabIndexInfo(page, background)).badgeIndexSize;
}

async function tabIndexInfo(page: Page, background: Worker): Promise<{ badgeIndexSize: number | null; badgeIndexShards: number | null; badgeIndexOpenMs: number }> {
  const ext = await extensionPage(page.context(), background);
  try {
    return await ext.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number }[]>; sendMessage(id: number, m: unknown): Promise<{ ok: boolean; value: { badgeIndexSize: number | null; badgeIndexShards: number | null; badgeIndexOpenMs: number } }> } } }).chrome;
      const [tab] = await chrome.tabs.query({ url: 'https://worker.mturk.com/*' });
      const reply = await chrome.tabs.sendMessage(tab!.id, { type: 'tab/page-info', payload: {} });
      return { badgeIndexSize: reply.value.badgeIndexSize, badgeIndexShards: reply.value.badgeIndexShards, badgeIndexOpenMs: reply.value.badgeIndexOpenMs };
    });
  } finally {
    await ext.close();
  }
}

/**
 * Adds a copy of the first task row for `requesterId` and reports its badge as it was
 * first drawn, and whether that was in the same task (before the background's answer,
 * which turns details to "full").
 */
async function addRowAndLook(page: Page, requesterId: string, tag = requesterId) {
  return page.evaluate(async ({ id, tag }) => {
    const first = document.querySelector('li.hit-set-table-row')!;
    const row = first.cloneNode(true) as HTMLElement;
    for (const own of row.querySelectorAll('lantern-badge, lantern-banner')) own.remove();
    row.removeAttribute('data-lantern-filtered');
    for (const link of row.querySelectorAll('a[href*="/requesters/"]')) link.setAttribute('href', `/requesters/${id}/projects?ref=w_pl_prvw`);
    row.dataset.test = tag;
    const look = () => {
      const badge = row.querySelector<HTMLElement>('lantern-badge[data-lantern-level]');
      return badge && { level: badge.dataset.lanternLevel ?? null, details: badge.dataset.lanternDetails ?? null, text: badge.shadowRoot?.textContent ?? null };
    };
    // Observed after Lantern's own observer, so each check sees what Lantern drew for that change.
    const firstDrawn = new Promise<ReturnType<typeof look>>((resolve) => {
      const observer = new MutationObserver(() => {
        const seen = look();
        if (seen) {
          observer.disconnect();
          resolve(seen);
        }
      });
      observer.observe(row, { subtree: true, childList: true, attributes: true });
    });
    first.parentElement!.append(row);
    await Promise.resolve(); // mutation observers (Lantern's among them) run before this resumes
    const sameTask = look();
    return { ...(await firstDrawn), sameTask: sameTask !== null };
  }, { id: requesterId, tag });
}

/** Holds the background's answers to page scans until the returned function is called. */
async function holdLookups(background: Worker): Promise<() => Promise<void>> {
  type Hold = { lantern: { holdLookups(): () => void }; lanternRelease?: () => void };
  await background.evaluate(() => {
    const self = globalThis as unknown as Hold;
    self.lanternRelease = self.lantern.holdLookups();
  });
  return () => background.evaluate(() => (globalThis as unknown as Hold).lanternRelease?.());
}

const badgeOf = (page: Page, id: string) => page.locator(`li[data-test="${id}"] lantern-badge`);

test.beforeEach(async ({ context }) => {
  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
});

test('a row added later gets its badge from the index before any answer (in the same task once its shard was read); the full answer follows', async ({ context, background }) => {
  await seedReplica(background, [summaryFor(`mturk:${NEWCOMER}`, 'Newcomer Labs', 'danger'), summaryFor(`mturk:${OTHER}`, 'Other Labs', 'caution')]);
  await indexBuilt(background, 2);
  const page = await context.newPage();
  await page.goto(HOME_URL);
  await expect(page.locator('lantern-badge[data-lantern-details="full"]').first()).toBeVisible();
  await expect.poll(() => tabIndexSize(page, background)).toBe(2);

  // Drawn from the index: level and words are there, the background has not answered
  // (its answers are held). The requester's shard is read when first needed...
  const release = await holdLookups(background);
  const seen = await addRowAndLook(page, NEWCOMER);
  expect(seen).toMatchObject({ level: 'danger', details: 'brief', text: expect.stringContaining('Suspensions') });
  // ...and from then on a row of it gets its badge in the very task that added it.
  expect(await addRowAndLook(page, NEWCOMER, `${NEWCOMER}-again`)).toEqual({ level: 'danger', details: 'brief', text: expect.stringContaining('Suspensions'), sameTask: true });
  await release();
  await expect(badgeOf(page, NEWCOMER)).toHaveAttribute('data-lantern-details', 'full');
  await expect(badgeOf(page, NEWCOMER)).toHaveAttribute('data-lantern-level', 'danger');
  // The full answer brings what the brief lacks: the banner with its counts.
  await expect(page.locator(`li[data-test="${NEWCOMER}"] lantern-banner`)).toHaveCount(1);

  const releaseAgain = await holdLookups(background);
  const caution = await addRowAndLook(page, OTHER);
  expect(caution).toMatchObject({ level: 'caution', details: 'brief', text: expect.stringContaining('$3.50/h') });
  // A requester the index doesn't hold: "no reviews yet" from the index, before any answer.
  expect(await addRowAndLook(page, 'A2NOBODYKNOWS9')).toMatchObject({ level: 'unknown', details: 'brief', text: expect.stringContaining('No reviews yet') });
  await releaseAgain();
});

test('a page start reads only the shards of its rows; a page that keeps adding rows reads the whole index once, and its next rows are drawn in the same task', async ({ context, background }) => {
  await seedReplica(background, [summaryFor(`mturk:${NEWCOMER}`, 'Newcomer Labs', 'danger'), summaryFor(`mturk:${OTHER}`, 'Other Labs', 'caution')]);
  await indexBuilt(background, 2);
  const page = await context.newPage();
  await page.goto(HOME_URL);
  await expect(page.locator('lantern-badge[data-lantern-details="full"]').first()).toBeVisible();
  const atStart = await tabIndexInfo(page, background);
  // The fixture's few requesters' shards, not the 4,096.
  expect(atStart.badgeIndexShards).toBeGreaterThan(0);
  expect(atStart.badgeIndexShards).toBeLessThan(20);
  // Rows of an unread shard, on a page open for a while (5 s since its index was read).
  await expect.poll(async () => (await tabIndexInfo(page, background)).badgeIndexOpenMs, { timeout: 20_000 }).toBeGreaterThan(5_000);
  const release = await holdLookups(background);
  expect(await addRowAndLook(page, NEWCOMER)).toMatchObject({ level: 'danger', details: 'brief' });
  await expect.poll(async () => (await tabIndexInfo(page, background)).badgeIndexShards).toBe(SHARD_COUNT);
  expect(await addRowAndLook(page, OTHER)).toEqual({ level: 'caution', details: 'brief', text: expect.stringContaining('$3.50/h'), sameTask: true });
  await release();
  await expect(badgeOf(page, OTHER)).toHaveAttribute('data-lantern-details', 'full');
});

test('the background’s answer wins over a wrong index', async ({ context, background }) => {
  await seedReplica(background, [summaryFor(`mturk:${NEWCOMER}`, 'Newcomer Labs', 'ok')]);
  await indexBuilt(background, 1);
  // An index that says "danger" for a requester the replica holds as ok.
  const lie: BadgeBrief = { ...UNKNOWN_BRIEF, level: 'danger' };
  await storeIndex(background, metaFor(1), [[`mturk:${NEWCOMER}` as RequesterKey, lie]]);

  const page = await context.newPage();
  await page.goto(HOME_URL);
  await expect.poll(() => tabIndexSize(page, background)).toBe(1);
  const release = await holdLookups(background);
  expect(await addRowAndLook(page, NEWCOMER)).toMatchObject({ level: 'danger', details: 'brief' });
  await release();
  await expect(badgeOf(page, NEWCOMER)).toHaveAttribute('data-lantern-details', 'full');
  await expect(badgeOf(page, NEWCOMER)).toHaveAttribute('data-lantern-level', 'ok');
  await expect(badgeOf(page, NEWCOMER).getByRole('button')).toHaveText(/\$12\.60\/h/);
});

test('a broken index is ignored: badges still come, from the background', async ({ context, background }) => {
  await seedReplica(background, [summaryFor(`mturk:${NEWCOMER}`, 'Newcomer Labs', 'caution')]);
  await indexBuilt(background, 1);
  await storeIndex(background, { ...metaFor(1), shardBits: 99 }, [[`mturk:${NEWCOMER}` as RequesterKey, { ...UNKNOWN_BRIEF, level: 'danger' }]]);
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(HOME_URL);
  await expect(page.locator('lantern-badge[data-lantern-details="full"]').first()).toBeVisible();
  expect(await tabIndexSize(page, background)).toBeNull();
  // Without an index nothing is drawn from it: the first badge is the background's answer.
  expect(await addRowAndLook(page, NEWCOMER)).toMatchObject({ level: 'caution', details: 'full', sameTask: false });
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
