/**
 * The detail card against the real server: numbers from the replica, recent reviews from
 * one hash-prefix bucket, and its actions — write a review (Lantern's form for this tab)
 * and block the requester (the page filters its tasks at once).
 */
import type { Request } from '@playwright/test';
import { createAccount, postReview, review } from './api-client.js';
import { artifactPath, expect, extensionPage, sendUi, serveFixture, test } from './harness.js';
import { startTestServer, type TestServer } from './server.js';

const MULLER = { key: 'mturk:APA5QKHYESAA', name: 'Müller & Søn' };

let server: TestServer;
test.beforeEach(async () => {
  server = await startTestServer();
});
test.afterEach(async () => {
  await server.stop();
});

test('the detail card shows the numbers, recent reviews from one bucket request, and its actions work', async ({ context, background }) => {
  // Two reviewers: three new accounts on one requester within a day would be held as a brigade.
  const texts = ['Paid as promised, approved in a day.', 'Fine, <b>nothing</b> special.'];
  for (const [i, text] of texts.entries()) {
    await postReview(server.url, await createAccount(server.url), review(MULLER.key, MULLER.name, { taskId: `3CARDTASK${i}XXXXXXXXXXXXXXXXXXXX`, text, minutes: 10 + i * 10 }));
  }
  const ext = await extensionPage(context, background);
  await sendUi(ext, 'ui/settings-set', { serverUrl: server.url });
  await expect.poll(async () => (await sendUi<{ sync: { rows: number } }>(ext, 'ui/status')).sync.rows).toBe(1);

  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
  const page = await context.newPage();
  await page.goto('https://worker.mturk.com/');
  const badge = page.locator(`lantern-badge[data-lantern-requester="${MULLER.key}"]`).first();
  // Two reviews are fewer than a level needs (issue 12): neutral, and the badge says how few.
  await expect(badge).toHaveAttribute('data-lantern-level', 'unknown');
  await expect(badge.getByRole('button')).toHaveText('2 reviews');

  const requests: Request[] = [];
  context.on('request', (r) => requests.push(r));
  await badge.getByRole('button').click();
  const card = page.locator('lantern-card').getByRole('dialog');
  await expect(card).toBeVisible();
  await expect(card).toContainText(MULLER.name);
  await expect(card.getByRole('table')).toContainText('Last 90 days');
  await expect(card.getByRole('table')).toContainText('All time');
  for (const text of texts) await expect(card).toContainText(text);
  // Review text stays text.
  expect(await page.locator('lantern-card').evaluate((el) => el.shadowRoot!.querySelectorAll('b').length)).toBe(0);
  await expect(card.locator('svg[role="img"], svg[aria-label]').first()).toBeAttached();
  const sent = requests.map((r) => r.url());
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatch(/\/v1\/buckets\?prefix=[0-9a-f]*$/);
  expect(sent[0]).not.toContain('APA5QKHYESAA');
  await page.screenshot({ path: artifactPath('mturk-detail-card.png') });

  // "Write a review" opens Lantern's review form for this requester, in a tab of its own.
  const formTab = context.waitForEvent('page');
  await card.getByRole('button', { name: 'Write a review' }).click();
  const form = await formTab;
  await expect(form).toHaveURL(/popup\.html\?form=review&requester=mturk%3AAPA5QKHYESAA&tab=\d+/);
  await expect(form.locator('form[data-form="review"]')).toContainText(MULLER.name);
  await form.close();

  // Block: the card confirms, the badge says so, and the requester's rows are filtered.
  await badge.getByRole('button').click();
  await card.getByRole('button', { name: 'Block requester' }).click();
  await expect(card).toContainText('Blocked');
  await expect(badge.getByRole('button')).toHaveText(/Blocked/);
  await expect(page.locator('li.table-row[data-lantern-filtered="dim"]')).toHaveCount(3); // Müller & Søn's three rows
  expect((await sendUi<{ blocklist: { key: string }[] }>(ext, 'ui/settings-get')).blocklist.map((e) => e.key)).toEqual([MULLER.key]);
});
