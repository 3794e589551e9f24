/**
 * Issue 12, "card and form", in real Chromium: the detail card's actions open the popup's
 * forms in a popup-sized window prefilled from the row clicked; a review read on the card
 * is flagged with the popup's own flag form (same reasons) and the flag reaches the server;
 * a blocked requester is unblocked from the card; the blocklist takes bare ids and page
 * addresses and names requesters the replica knows; Prolific's "Start now" is guarded as
 * MTurk's Accept is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { createAccount, postReview, review } from './api-client.js';
import { artifactPath, expect, extensionIdOf, extensionPage, FIXTURES_DIR, seedReplica, sendUi, serveFixture, test } from './harness.js';
import { startTestServer } from './server.js';
import { summaryFor } from './summaries.js';

test.use({ actionTimeout: 15_000 });

const MULLER = { key: 'mturk:APA5QKHYESAA', name: 'Müller & Søn' };
/** Müller & Søn's first row on mturk-home.html (its props and its project link agree). */
const FIRST_ROW = { taskId: '3AS5SGTU2GYRDPB34F61NLOFQ33W6Y', titleStart: 'Categorize product listings for a German web shop', reward: '0.08' };

interface ChromeApi {
  windows: { getAll(q: object): Promise<{ type?: string; tabs?: { url?: string }[] }[]> };
}
declare const chrome: ChromeApi;

async function openCard(page: Page) {
  const badge = page.locator(`lantern-badge[data-lantern-requester="${MULLER.key}"]`).first();
  await badge.getByRole('button').click();
  const card = page.locator('lantern-card').getByRole('dialog');
  await expect(card).toBeVisible();
  return { badge, card };
}

/** The popup window a card action opened, and that it is one (not a tab), popup-sized. */
async function formWindow(context: BrowserContext, background: Worker, click: () => Promise<void>): Promise<Page> {
  const next = context.waitForEvent('page');
  await click();
  const form = await next;
  await form.waitForLoadState();
  const windows = await background.evaluate(() => chrome.windows.getAll({ populate: true }));
  const mine = windows.find((w) => w.tabs?.some((tab) => tab.url === form.url()));
  // A window of type "popup" (not a tab in the worker's window). Its size is asked as 420 × 720;
  // Playwright gives every page it drives its own viewport, so the size is not checked here.
  expect(mine?.type).toBe('popup');
  return form;
}

test('card actions open the popup forms prefilled from the row, in a popup window; a review is flagged from the card; Unblock', async ({ context, background }) => {
  const server = await startTestServer();
  try {
    const author = await createAccount(server.url);
    await postReview(server.url, author, review(MULLER.key, MULLER.name, { taskId: '3CARDTASK0XXXXXXXXXXXXXXXXXXXX', text: 'Paid as promised, approved in a day.', minutes: 10 }));
    const ext = await extensionPage(context, background);
    await sendUi(ext, 'ui/settings-set', { serverUrl: server.url });
    await expect.poll(async () => (await sendUi<{ sync: { rows: number } }>(ext, 'ui/status')).sync.rows).toBe(1);

    await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
    const page = await context.newPage();
    await page.goto('https://worker.mturk.com/');
    let { card } = await openCard(page);

    // Write a review: the row's task id, title and reward are filled in.
    const reviewForm = await formWindow(context, background, () => card.getByRole('button', { name: 'Write a review' }).click());
    const form = reviewForm.locator('form[data-form="review"]');
    await expect(form.locator('[data-field="requesterName"]')).toHaveText(MULLER.name);
    await expect(form.getByLabel('Task ID')).toHaveValue(FIRST_ROW.taskId);
    await expect(form.getByLabel('Task title')).toHaveValue(new RegExp(`^${FIRST_ROW.titleStart}`));
    await expect(form.getByLabel('Reward', { exact: true })).toHaveValue(FIRST_ROW.reward);
    await expect(form.getByLabel('Currency')).toHaveValue('USD');
    await reviewForm.screenshot({ path: artifactPath('forms-card-review-prefilled.png'), fullPage: true });
    await reviewForm.close();

    // Flag the requester: the form offers this row's task.
    ({ card } = await openCard(page));
    const flagRequester = await formWindow(context, background, () => card.getByRole('button', { name: 'Flag requester' }).click());
    await expect(flagRequester.locator('form')).toContainText(FIRST_ROW.titleStart);
    await flagRequester.close();

    // Flag a review read on the card: the popup's review-flag form, with its reasons; it is sent.
    ({ card } = await openCard(page));
    await expect(card).toContainText('Paid as promised');
    const flagReview = await formWindow(context, background, () => card.getByRole('button', { name: /^Flag the review of / }).click());
    const flagForm = flagReview.locator('form');
    await expect(flagForm).toContainText(MULLER.name);
    await flagForm.getByLabel('Reason').selectOption('insults');
    await flagForm.getByRole('button', { name: 'Send flag' }).click();
    await expect(flagReview.getByRole('status').first()).toHaveText('Sent.');
    await flagReview.close();

    // Block, then Unblock from the card: the rows come back.
    ({ card } = await openCard(page));
    await card.getByRole('button', { name: 'Block requester' }).click();
    await expect(page.locator('li.table-row[data-lantern-filtered="dim"]')).toHaveCount(3);
    await card.getByRole('button', { name: 'Unblock' }).click();
    await expect(card.getByRole('status')).toHaveText(/Unblocked/);
    await expect(page.locator('li.table-row[data-lantern-filtered]')).toHaveCount(0);
    expect((await sendUi<{ blocklist: { key: string }[] }>(ext, 'ui/settings-get')).blocklist).toEqual([]);
    await page.screenshot({ path: artifactPath('forms-card-unblocked.png') });
  } finally {
    await server.stop();
  }
});

test('the blocklist takes bare ids and page addresses, and names requesters the replica knows', async ({ context, background }) => {
  await seedReplica(background, [summaryFor('mturk:A1LANTERNTEST01', 'Acme Research Lab', 'ok'), summaryFor('prolific:5f1e2d3c4b5a69788796a5b4', 'Dr. Prolific', 'ok')]);
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionIdOf(background)}/options.html`);
  const blocklist = options.locator('[data-section="blocklist"]');
  // Opened in a group the first screen may keep closed: open it when it is.
  const summary = options.locator('details', { has: blocklist }).locator('summary').first();
  if ((await summary.count()) > 0 && !(await options.locator('details', { has: blocklist }).first().evaluate((d) => (d as HTMLDetailsElement).open))) await summary.click();

  const add = async (text: string) => {
    await blocklist.getByLabel('Requester ID').fill(text);
    await blocklist.getByRole('button', { name: 'Block', exact: true }).click();
  };
  await add('https://worker.mturk.com/requesters/A1LANTERNTEST01/projects?ref=w_pl_prvw');
  await expect(blocklist.locator('tr[data-block="mturk:A1LANTERNTEST01"]')).toContainText('Acme Research Lab');
  await add('5f1e2d3c4b5a69788796a5b4');
  await expect(blocklist.locator('tr[data-block="prolific:5f1e2d3c4b5a69788796a5b4"]')).toContainText('Dr. Prolific');
  await add('A2UNKNOWNREQ0001');
  await expect(blocklist.locator('tr[data-block="mturk:A2UNKNOWNREQ0001"]')).toContainText('—'); // the replica doesn't know it
  await add('not a requester');
  await expect(blocklist.getByRole('alert')).toContainText('paste the requester');

  // An entry blocked without a name (as the card's import or an older release did) is named from the replica.
  const ext = await extensionPage(context, background);
  const settings = await sendUi<{ blocklist: { key: string; name: string; addedOn: string }[] }>(ext, 'ui/settings-get');
  await sendUi(ext, 'ui/settings-set', { blocklist: settings.blocklist.map((e) => ({ ...e, name: '' })) });
  await options.reload();
  if ((await summary.count()) > 0 && !(await options.locator('details', { has: blocklist }).first().evaluate((d) => (d as HTMLDetailsElement).open))) await summary.click();
  await expect(blocklist.locator('tr[data-block="mturk:A1LANTERNTEST01"]')).toContainText('Acme Research Lab');
  await blocklist.screenshot({ path: artifactPath('forms-blocklist-names.png') });
});

test('Prolific study page of a danger researcher: "Start now" asks for a second click', async ({ context, background }) => {
  const pages = JSON.parse(readFileSync(join(FIXTURES_DIR, 'pages-fixtures.json'), 'utf8')) as {
    prolificApi: { url: string; file: string };
    fixtures: Record<string, { url: string; requesters: { id: string; name: string }[] }>;
  };
  const fixture = pages.fixtures['prolific-study.html']!;
  const researcher = fixture.requesters[0]!;
  await seedReplica(background, [summaryFor(`prolific:${researcher.id}`, researcher.name, 'danger')]);
  const api = readFileSync(join(FIXTURES_DIR, pages.prolificApi.file), 'utf8');
  await context.route(pages.prolificApi.url, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: api, headers: { 'access-control-allow-origin': '*' } }));
  await serveFixture(context, `${new URL(fixture.url).origin}/**`, 'prolific-study.html');
  const page = await context.newPage();
  await page.goto(fixture.url);
  await expect(page.locator(`lantern-badge[data-lantern-requester="prolific:${researcher.id}"]`)).toHaveAttribute('data-lantern-level', 'danger');

  const start = page.locator('[data-testid="start-now"]');
  await start.click();
  await expect(page.locator('lantern-accept-warning').getByRole('alert')).toContainText(researcher.name);
  await expect(page.locator('lantern-accept-warning').getByRole('alert')).toContainText('Click “Start now” again');
  // The fixture's page marks <body> data-started when its own click handler starts the study:
  // the guard stopped the first click before the page saw it.
  await expect(page.locator('body')).not.toHaveAttribute('data-started', 'true');
  await page.screenshot({ path: artifactPath('forms-prolific-accept-guard.png') });
  await start.click();
  await expect(page.locator('body')).toHaveAttribute('data-started', 'true');
});

test('Prolific study page of an ok researcher: "Start now" works at the first click', async ({ context, background }) => {
  const pages = JSON.parse(readFileSync(join(FIXTURES_DIR, 'pages-fixtures.json'), 'utf8')) as {
    prolificApi: { url: string; file: string };
    fixtures: Record<string, { url: string; requesters: { id: string; name: string }[] }>;
  };
  const fixture = pages.fixtures['prolific-study.html']!;
  const researcher = fixture.requesters[0]!;
  await seedReplica(background, [summaryFor(`prolific:${researcher.id}`, researcher.name, 'ok')]);
  const api = readFileSync(join(FIXTURES_DIR, pages.prolificApi.file), 'utf8');
  await context.route(pages.prolificApi.url, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: api, headers: { 'access-control-allow-origin': '*' } }));
  await serveFixture(context, `${new URL(fixture.url).origin}/**`, 'prolific-study.html');
  const page = await context.newPage();
  await page.goto(fixture.url);
  await expect(page.locator(`lantern-badge[data-lantern-requester="prolific:${researcher.id}"]`)).toHaveAttribute('data-lantern-level', 'ok');
  await page.locator('[data-testid="start-now"]').click();
  await expect(page.locator('body')).toHaveAttribute('data-started', 'true');
  await expect(page.locator('lantern-accept-warning')).toHaveCount(0);
});

test('Prolific studies list: "Write a review" on a study card opens the form prefilled with that study', async ({ context, background }) => {
  const pages = JSON.parse(readFileSync(join(FIXTURES_DIR, 'pages-fixtures.json'), 'utf8')) as {
    prolificApi: { url: string; file: string };
    fixtures: Record<string, { url: string; items: { id: string; requesterId: string; requesterName: string; title: string; reward: number; currency: string }[] }>;
  };
  const fixture = pages.fixtures['prolific-studies.html']!;
  const study = fixture.items[0]!;
  const key = `prolific:${study.requesterId}`;
  await seedReplica(background, [summaryFor(key, study.requesterName, 'ok')]);
  const api = readFileSync(join(FIXTURES_DIR, pages.prolificApi.file), 'utf8');
  await context.route(pages.prolificApi.url, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: api, headers: { 'access-control-allow-origin': '*' } }));
  await serveFixture(context, `${new URL(fixture.url).origin}/**`, 'prolific-studies.html');
  const page = await context.newPage();
  await page.goto(fixture.url);
  const badge = page.locator(`li[data-testid="study-${study.id}"] lantern-badge[data-lantern-requester="${key}"]`);
  await badge.getByRole('button').click();
  const card = page.locator('lantern-card').getByRole('dialog');
  const form = await formWindow(context, background, () => card.getByRole('button', { name: 'Write a review' }).click());
  const review = form.locator('form[data-form="review"]');
  await expect(review.locator('[data-field="requesterName"]')).toHaveText(study.requesterName);
  await expect(review.getByLabel('Task ID')).toHaveValue(study.id);
  await expect(review.getByLabel('Task title')).toHaveValue(study.title);
  await expect(review.getByLabel('Reward', { exact: true })).toHaveValue(study.reward.toFixed(2));
  await expect(review.getByLabel('Currency')).toHaveValue(study.currency);
});
