/**
 * The popup and the options page in real Chromium with the built extension: the popup
 * opened for a task page (as `popup.html?tab=<id>`), the options page as the browser
 * opens it. No server is configured here, so submissions queue — which is what the
 * popup must show, in words.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { artifactPath, expect, seedReplica, test } from './harness.js';
import { allRows, putRows } from './extension-idb.js';
import { summaryFor } from './summaries.js';
import { startServer } from '../src/server/index.js';

const REQUESTER_ID = 'A1LANTERNTEST01';
const REQUESTER_KEY = `mturk:${REQUESTER_ID}`;
const REQUESTER_NAME = 'Acme <b>Research</b> Lab';
const GROUP_ID = '3QX7LANTERNTASKGROUP0000000001';
const TASK_TITLE = 'Short survey about shopping habits';
const TASK_URL = `https://worker.mturk.com/projects/${GROUP_ID}/tasks/3ASSIGNEDTASK00000000000000001?assignment_id=3ASSIGNMENT0000000000000001&ref=w_pl_prvw`;

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An accepted MTurk task page: ShowModal props with title, reward and requester, and the detail bar link. */
function taskPageHtml(): string {
  const props = {
    modalOptions: {
      requesterName: REQUESTER_NAME,
      projectTitle: TASK_TITLE,
      contactRequesterUrl: `/contact_requester/hit_type_messages/new?hit_type_message%5Bhit_type_id%5D=${GROUP_ID}&hit_type_message%5Brequester_id%5D=${REQUESTER_ID}`,
      monetaryReward: { amountInDollars: 0.75, currencyCode: 'USD' },
    },
  };
  return `<!doctype html><html><head><meta charset="utf-8"><title>Task</title></head><body>
<div class="project-detail-bar"><span class="task-project-title">${text(TASK_TITLE)}</span>
  <a href="/requesters/${REQUESTER_ID}/projects" title="${attr(REQUESTER_NAME)}">${text(REQUESTER_NAME)}</a></div>
<div data-react-class="require('reactComponents/modal/ShowModal')['default']" data-react-props="${attr(JSON.stringify(props))}"></div>
<iframe title="task" srcdoc="&lt;p&gt;Task content&lt;/p&gt;"></iframe>
</body></html>`;
}

const extensionId = (background: Worker) => new URL(background.url()).host;

/** The extension APIs inside page.evaluate / worker.evaluate (no @types/chrome here). */
interface ChromeApi {
  tabs: { query(q: object): Promise<{ id?: number }[]> };
  runtime: { sendMessage(m: unknown): Promise<unknown> };
  storage: { local: { set(items: object): Promise<void> } };
}
declare const chrome: ChromeApi;

async function openTaskPage(context: BrowserContext, background: Worker): Promise<{ page: Page; tabId: number }> {
  await context.route('https://worker.mturk.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: taskPageHtml() }));
  const page = await context.newPage();
  await page.goto(TASK_URL);
  // The content script records the accepted task (for the suggested time and the recent-task list).
  const tabId = await background.evaluate(async () => (await chrome.tabs.query({ url: 'https://worker.mturk.com/*' }))[0]!.id!);
  await expect(page.locator('lantern-badge[data-lantern-level]')).toHaveCount(1);
  return { page, tabId };
}

const popupErrors = new WeakMap<Page, Error[]>();

async function openPopup(context: BrowserContext, background: Worker, tabId?: number): Promise<Page> {
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 380, height: 900 });
  const errors: Error[] = [];
  popup.on('pageerror', (error) => errors.push(error));
  await popup.goto(`chrome-extension://${extensionId(background)}/popup.html${tabId === undefined ? '' : `?tab=${tabId}`}`);
  popupErrors.set(popup, errors);
  return popup;
}

/** Writes an outbox item straight into the background's IndexedDB, as the outbox would after a refusal. */
const putOutboxItem = (background: Worker, item: unknown) => putRows(background, 'outbox', [item]);

test('popup on a task page shows the requester and a review form prefilled from the page', async ({ context, background }) => {
  expect(await seedReplica(background, [summaryFor(REQUESTER_KEY, REQUESTER_NAME, 'caution')])).toBe(1);
  const { tabId } = await openTaskPage(context, background);
  const popup = await openPopup(context, background, tabId);

  const card = popup.locator(`article[data-requester="${REQUESTER_KEY}"]`);
  await expect(card.getByRole('heading', { level: 3 })).toContainText(REQUESTER_NAME); // markup stays text
  await expect(card.locator('b')).toHaveCount(0);
  await expect(card.locator('.level')).toHaveText('Caution');
  await expect(card.locator('[data-field="hourly"]')).toHaveText('$3.50 per hour, from 6 tasks');
  await expect(card.locator('[data-list="reasons"]')).toContainText('Pays $3.50 per hour, under your minimum of $7.25.');
  await expect(popup.locator('[data-field="page-task"]')).toContainText(TASK_TITLE);
  await expect(popup.locator('[data-view="sync-status"]')).toContainText('No server chosen yet');
  await popup.screenshot({ path: artifactPath('popup-task-page.png'), fullPage: true });

  await card.getByRole('button', { name: 'Write a review' }).click();
  const form = popup.locator('form[data-form="review"]');
  await expect(form.locator('[data-field="requesterName"]')).toHaveText(REQUESTER_NAME);
  await expect(form.getByLabel('Task title')).toHaveValue(TASK_TITLE);
  await expect(form.getByLabel('Task ID')).toHaveValue(GROUP_ID);
  await expect(form.getByLabel('Reward', { exact: true })).toHaveValue('0.75');
  await expect(form.getByLabel('Currency')).toHaveValue('USD');
  // Accepted in this browser moments ago: a suggested time of at least a minute, editable.
  await expect(form.getByLabel('Minutes worked')).toHaveValue(/^\d+$/);
  await expect(form).toContainText('Suggested from when you accepted this task');
  await expect(popup.getByRole('heading', { name: 'Write a review' })).toBeFocused();

  await form.getByLabel('Minutes worked').fill('6');
  // Issue 12: "finished" is never defaulted beside a suggested time; the worker answers it.
  await form.getByLabel('Yes', { exact: true }).check();
  await form.getByLabel('Pay', { exact: true }).selectOption('4');
  await form.getByLabel('Fairness').selectOption('5');
  await form.getByLabel('Outcome').selectOption('approved');
  await form.getByLabel('Your review').fill('Quick survey, <script>alert(1)</script> paid on time.');
  await expect(form.locator('.counter')).toHaveText('53 / 2000 characters');
  await popup.screenshot({ path: artifactPath('popup-review-form.png'), fullPage: true });

  await form.getByRole('button', { name: 'Send review' }).click();
  // No server configured: it is queued, and says so in words.
  await expect(popup.getByRole('status').first()).toHaveText('Queued — will be sent when the server is reachable.');
  const queued = popup.locator('[data-view="outbox"] li');
  await expect(queued).toHaveCount(1);
  await expect(queued).toContainText(`Review of ${REQUESTER_NAME}: ${TASK_TITLE}`);
  expect(popupErrors.get(popup)).toEqual([]);
});

test('a validation error is shown in words on the form, and a refused outbox item comes back for editing', async ({ context, background }) => {
  const { tabId } = await openTaskPage(context, background);
  const popup = await openPopup(context, background, tabId);
  await popup.getByRole('button', { name: 'Write a review' }).click();
  const form = popup.locator('form[data-form="review"]');

  // A reward that isn't an amount: named in words, the field marked, nothing sent.
  await form.getByLabel('Reward', { exact: true }).fill('seventy');
  await form.getByRole('button', { name: 'Send review' }).click();
  // Issue 12: every problem is listed at once (the unanswered "finished" and the empty review too).
  await expect(form.locator('[data-role="form-error"]')).toContainText('Reward: enter an amount like 1.50');
  await expect(form.getByLabel('Reward', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // An empty task id fails the shared schema (the one ui/submit and the server apply).
  await form.getByLabel('Reward', { exact: true }).fill('0.75');
  await form.getByLabel('Task ID').fill('');
  await form.getByRole('button', { name: 'Send review' }).click();
  await expect(form.locator('[data-role="form-error"]')).toContainText('Task ID:');
  await expect(form.getByLabel('Task ID')).toHaveAttribute('aria-invalid', 'true');
  await expect(popup.locator('[data-view="outbox"]')).toHaveCount(0); // still on the form

  // The server refused a review earlier: it stays in the outbox with the reason in words.
  const payload = {
    requester: REQUESTER_KEY,
    requesterName: 'Acme Research Lab',
    taskId: GROUP_ID,
    taskTitle: TASK_TITLE,
    reward: { cents: 75, currency: 'USD' },
    bonusCents: 0,
    minutes: 6,
    finished: true,
    outcome: 'approved',
    daysToDecision: null,
    ratings: { pay: 4, fairness: null, speed: null, communication: null },
    text: 'Call me on 555-0100 for the answers',
    tags: [],
  };
  const refusedId = '00000000-0000-4000-8000-000000000001';
  await putOutboxItem(background, {
    id: refusedId,
    submission: { kind: 'review', payload },
    createdAt: Date.now(),
    attempts: 1,
    state: 'rejected',
    lastError: 'must not contain phone numbers',
    errorField: 'text',
    nextAttemptAt: 0,
  });
  await form.getByRole('button', { name: 'Cancel' }).click();
  const item = popup.locator('[data-view="outbox"] li[data-outbox-state="rejected"]');
  await expect(item.locator('[data-field="outbox-error"]')).toHaveText(
    'The server refused this: Your review: must not contain phone numbers. Edit it and send again, or discard it.',
  );
  await popup.screenshot({ path: artifactPath('popup-sync-status.png'), fullPage: true });

  await item.getByRole('button', { name: 'Edit' }).click();
  const edit = popup.locator('form[data-form="review"]');
  await expect(edit.getByLabel('Your review')).toHaveValue(payload.text);
  await expect(edit.getByLabel('Your review')).toHaveAttribute('aria-invalid', 'true');
  await expect(edit.locator('[data-role="form-error"]')).toHaveText('Your review: must not contain phone numbers');
  await edit.getByLabel('Your review').fill('Fine survey, paid quickly.');
  await edit.getByRole('button', { name: 'Send review' }).click();
  await expect(popup.getByRole('status').first()).toHaveText('Queued — will be sent when the server is reachable.');
  // The refused item was replaced by the edited one, not kept beside it.
  await expect(popup.locator('[data-view="outbox"] li')).toHaveCount(1);
  await expect(popup.locator('[data-view="outbox"] li[data-outbox-state="rejected"]')).toHaveCount(0);
});

test('suspension report from a task page offers this browser\'s tasks, pre-picks the requester\'s, and sends only the picked ones', async ({ context, background }) => {
  const { tabId } = await openTaskPage(context, background);
  const popup = await openPopup(context, background, tabId);
  await popup.getByRole('button', { name: 'Report a suspension' }).click();
  const form = popup.locator('form[data-form="suspension"]');
  const task = form.locator('[data-list="work-log-tasks"] input[type="checkbox"]');
  await expect(task).toHaveCount(1);
  await expect(form.locator('[data-list="work-log-tasks"]')).toContainText(TASK_TITLE);
  // Opened from this requester's card: its task is ticked already (so it isn't named apart).
  await expect(task).toBeChecked();
  await expect(form.locator('[data-list="named-requesters"]')).toHaveCount(0);
  await expect(form.locator('[data-field="report-summary"]')).toHaveText('1 task from 1 requester will be reported.');
  await expect(form.locator('[data-field="report-privacy"]')).toHaveText('Only the tasks you pick are sent; your work log stays in this browser.');
  await form.getByRole('button', { name: 'Send report' }).click();
  await expect(popup.getByRole('status').first()).toHaveText('Queued — will be sent when the server is reachable.');
  const outbox = await allRows(background, 'outbox');
  const report = (outbox as { submission: { kind: string; payload: { tasks: unknown[] } } }[]).find((i) => i.submission.kind === 'suspension');
  expect(report?.submission.payload.tasks).toEqual([{ requester: REQUESTER_KEY, requesterName: REQUESTER_NAME, taskId: GROUP_ID, taskTitle: TASK_TITLE }]);
  await expect(popup.locator('[data-view="outbox"] li')).toContainText(`Suspension report: ${REQUESTER_NAME} (1 task, 1 requester)`);
});

test('popup away from a task page shows sync status with snapshot progress', async ({ context, background }) => {
  const popup = await openPopup(context, background);
  await expect(popup.locator('[data-view="on-page"]')).toContainText('Open a Mechanical Turk task page');
  // A snapshot in progress, recorded through the background's own sync-state code.
  await background.evaluate(() =>
    (globalThis as unknown as { lantern: { patchMeta(p: unknown): Promise<unknown> } }).lantern.patchMeta({ snapshotProgress: { done: 1200, total: 5000 } }),
  );
  // Polled about once a second: the progress appears without reopening.
  const progress = popup.getByRole('progressbar', { name: 'Downloading the shared data: 1,200 of 5,000 requesters' });
  await expect(progress).toHaveAttribute('value', '1200');
  await expect(progress).toHaveAttribute('max', '5000');
});

test('options page saves thresholds, round-trips the blocklist through a file, and shows diagnostics', async ({ context, background }) => {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId(background)}/options.html`);

  // Server address: an http address off this machine is refused in words.
  const server = options.locator('[data-section="server"]');
  await server.getByLabel('Server address').fill('http://lantern.example.org');
  await server.getByRole('button', { name: 'Save' }).click();
  await expect(server.getByRole('alert')).toContainText('Server address: must be an https:// address');

  const thresholds = options.locator('[data-section="thresholds"]');
  await thresholds.getByLabel('Minimum hourly pay (USD)').fill('12.50');
  await thresholds.getByLabel('Minimum hourly pay (GBP)').fill('');
  await thresholds.getByLabel('Minimum rating').selectOption('3.5');
  await thresholds.getByRole('button', { name: 'Save' }).click();
  await expect(thresholds.getByRole('status')).toHaveText('Saved.');

  await options.locator('details[data-group="more"] > summary').click(); // blocklist, alerts, work log… wait under "More settings"
  const blocklist = options.locator('[data-section="blocklist"]');
  await blocklist.getByLabel('Requester ID').fill('mturk:nope');
  await blocklist.getByRole('button', { name: 'Block', exact: true }).click();
  // Issue 12: the refusal says what to paste, in words (bare ids and page addresses are taken).
  await expect(blocklist.getByRole('alert')).toContainText('Requester: paste the requester');
  await blocklist.getByLabel('Requester ID').fill(REQUESTER_KEY);
  await blocklist.getByLabel('Name (optional)').fill('Acme Research Lab');
  await blocklist.getByRole('button', { name: 'Block', exact: true }).click();
  await expect(blocklist.locator(`tr[data-block="${REQUESTER_KEY}"]`)).toContainText('Acme Research Lab');
  await blocklist.getByLabel('Dim them').check();

  await options.reload();
  const settings = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'ui/settings-get', payload: {} }));
  expect(settings).toMatchObject({
    ok: true,
    value: { thresholds: { minHourlyCents: { USD: 1250 }, minRating: 3.5 }, filterMode: 'dim', blocklist: [{ key: REQUESTER_KEY, name: 'Acme Research Lab' }] },
  });
  expect((settings as { value: { thresholds: { minHourlyCents: object } } }).value.thresholds.minHourlyCents).not.toHaveProperty('GBP');
  await expect(options.locator('[data-section="thresholds"]').getByLabel('Minimum hourly pay (USD)')).toHaveValue('12.50');

  await options.locator('details[data-group="more"] > summary').click(); // blocklist, alerts, work log… wait under "More settings"
  // Export, remove, import the exported file: the same list comes back.
  const download = options.waitForEvent('download');
  await options.locator('[data-section="blocklist"]').getByRole('button', { name: 'Export to a file' }).click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  expect(exported).toEqual([expect.objectContaining({ key: REQUESTER_KEY, name: 'Acme Research Lab' })]);
  await options.getByRole('button', { name: 'Unblock Acme Research Lab' }).click();
  await expect(options.locator('[data-section="blocklist"]')).toContainText('You have not blocked anyone.');
  await options.locator('[data-section="blocklist"]').getByLabel('Import from a file (JSON)').setInputFiles(file);
  await expect(options.locator('[data-section="blocklist"]').getByRole('status')).toHaveText('Added 1; 1 blocked in all.');
  await expect(options.locator(`tr[data-block="${REQUESTER_KEY}"]`)).toHaveCount(1);
  // A bad file is refused in words, naming the entry and field.
  await options.locator('[data-section="blocklist"]').getByLabel('Import from a file (JSON)').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify([{ key: 'mturk:A1GOODKEY0001', name: 'ok' }, { key: 'worker-123', name: 'bad' }])),
  });
  await expect(options.locator('[data-section="blocklist"]').getByRole('alert')).toContainText('Import failed: Entry 2, Requester: this is not a requester id Lantern knows');

  // Diagnostics: a count the background keeps is shown as a table row in words.
  await background.evaluate(() => chrome.storage.local.set({ diagnostics: { 'mturk/task-list/no_rows': 3 } }));
  await options.locator('[data-section="diagnostics"]').getByRole('button', { name: 'Refresh' }).click();
  await expect(options.locator('tr[data-diagnostic="mturk/task-list/no_rows"]')).toContainText('No task rows found');
  await options.screenshot({ path: artifactPath('options.png'), fullPage: true });
});

test('with a server: account and recovery code, a review sent, then edited and deleted from "My reviews"', async ({ context, background }) => {
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    database: join(mkdtempSync(join(tmpdir(), 'lantern-popup-e2e-')), 'lantern.sqlite'),
    logLevel: 'warn',
    rateLimits: false,
    snapshotMaxAgeMs: 0,
  });
  try {
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId(background)}/options.html`);
    const serverSection = options.locator('[data-section="server"]');
    await serverSection.getByLabel('Server address').fill(server.url);
    await serverSection.getByRole('button', { name: 'Save' }).click();
    // Headless Chromium may refuse the permission prompt; the address is saved either way.
    await expect(serverSection.getByRole('status')).toContainText('Server saved.');
    await expect(options.locator('[data-field="sync-state"]')).toHaveText('Up to date');

    const account = options.locator('[data-section="account"]');
    await account.getByRole('button', { name: 'Create account' }).click();
    const code = await account.locator('[data-field="recovery-code"]').textContent();
    expect(code?.length).toBeGreaterThanOrEqual(43);
    await expect(account).toContainText('Keep it somewhere safe and private');
    await account.getByRole('button', { name: 'Hide' }).click();
    await account.getByRole('button', { name: 'Show recovery code' }).click();
    await expect(account.locator('[data-field="recovery-code"]')).toHaveText(code!);

    const { tabId } = await openTaskPage(context, background);
    const popup = await openPopup(context, background, tabId);
    await popup.getByRole('button', { name: 'Write a review' }).click();
    const form = popup.locator('form[data-form="review"]');
    await form.getByLabel('Yes', { exact: true }).check();
    await form.getByLabel('Pay', { exact: true }).selectOption('2');
    await form.getByLabel('Your review').fill('Paid late but paid.');
    await form.getByRole('button', { name: 'Send review' }).click();
    await expect(popup.getByRole('status').first()).toHaveText('Sent.');

    const mine = popup.locator('[data-view="own-reviews"] li');
    await expect(mine).toHaveCount(1);
    await expect(mine).toContainText('Visible');
    await expect(mine).toContainText('Paid late but paid.');
    await mine.getByRole('button', { name: 'Edit' }).click();
    const edit = popup.locator('form[data-form="review"]');
    await expect(edit.getByRole('heading')).toHaveText('Edit your review');
    await expect(edit.locator('[data-field="requesterName"]')).toHaveText(REQUESTER_NAME);
    await expect(edit.getByLabel('Pay', { exact: true })).toHaveValue('2');
    await edit.getByLabel('Your review').fill('Paid late, but the requester answered my message.');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(popup.getByRole('status').first()).toHaveText('Sent.');
    await expect(mine).toContainText('the requester answered my message');
    await popup.screenshot({ path: artifactPath('popup-own-reviews.png'), fullPage: true });

    await mine.getByRole('button', { name: 'Delete' }).click();
    await expect(mine.getByRole('button', { name: 'Yes, delete' })).toBeFocused();
    await mine.getByRole('button', { name: 'Yes, delete' }).click();
    await expect(popup.locator('[data-view="own-reviews"]')).toContainText('Review deleted.');
    await popup.reload();
    await expect(popup.locator('[data-view="own-reviews"]')).toContainText('You have not written any reviews yet.');
    await expect(popup.locator('[data-view="outbox"] li')).toHaveCount(0);
  } finally {
    await server.close();
  }
});
