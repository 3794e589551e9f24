/**
 * Issue 12, "a review must say something", in real Chromium with the real server: the
 * three-click review (open the popup, "Write a review", "Send") is refused with every
 * error shown beside its field at once, nothing reaching the server; a pay per hour
 * beyond the published ceiling asks for a tick; a review that says something is sent;
 * and a review queued by an older release comes back refused in words, to be edited.
 */
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { REVIEW_MIN_TEXT } from '../src/core/rules.js';
import { artifactPath, expect, extensionIdOf, sendUi, test } from './harness.js';
import { putRows } from './extension-idb.js';
import { startTestServer, type TestServer } from './server.js';

test.use({ actionTimeout: 15_000 });

const REQUESTER_ID = 'A1FORMSTEST0001';
const REQUESTER_KEY = `mturk:${REQUESTER_ID}`;
const REQUESTER_NAME = 'Survey Lab';
const GROUP_ID = '3QX7FORMSTASKGROUP000000000001';
const TASK_TITLE = 'A fifteen-minute survey';
const TASK_URL = `https://worker.mturk.com/projects/${GROUP_ID}/tasks/3ASSIGNEDTASK00000000000000001?assignment_id=3ASSIGNMENT0000000000000001&ref=w_pl_prvw`;

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An accepted MTurk task page paying $1.50 (ShowModal props and the detail bar link). */
function taskPageHtml(): string {
  const props = {
    modalOptions: {
      requesterName: REQUESTER_NAME,
      projectTitle: TASK_TITLE,
      contactRequesterUrl: `/contact_requester/hit_type_messages/new?hit_type_message%5Bhit_type_id%5D=${GROUP_ID}&hit_type_message%5Brequester_id%5D=${REQUESTER_ID}`,
      monetaryReward: { amountInDollars: 1.5, currencyCode: 'USD' },
    },
  };
  return `<!doctype html><html><head><meta charset="utf-8"><title>Task</title></head><body>
<div class="project-detail-bar"><span class="task-project-title">${TASK_TITLE}</span>
  <a href="/requesters/${REQUESTER_ID}/projects" title="${REQUESTER_NAME}">${REQUESTER_NAME}</a></div>
<div data-react-class="require('reactComponents/modal/ShowModal')['default']" data-react-props="${attr(JSON.stringify(props))}"></div>
</body></html>`;
}

interface ChromeApi {
  tabs: { query(q: object): Promise<{ id?: number }[]> };
}
declare const chrome: ChromeApi;

/** The task page, the popup for it (popup-sized), and every review request the server got. */
async function setUp(context: BrowserContext, background: Worker, server: TestServer) {
  const reviewPosts: string[] = [];
  context.on('request', (request) => {
    if (request.url().startsWith(`${server.url}/v1/reviews`) && request.method() !== 'GET') reviewPosts.push(request.method());
  });
  await context.route('https://worker.mturk.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: taskPageHtml() }));
  const page = await context.newPage();
  await page.goto(TASK_URL);
  await expect(page.locator('lantern-badge[data-lantern-requester]')).toHaveCount(1);
  const tabId = await background.evaluate(async () => (await chrome.tabs.query({ url: 'https://worker.mturk.com/*' }))[0]!.id!);
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 400, height: 1100 });
  const errors: Error[] = [];
  popup.on('pageerror', (error) => errors.push(error));
  await popup.goto(`chrome-extension://${extensionIdOf(background)}/popup.html?tab=${tabId}`);
  await sendUi(popup, 'ui/settings-set', { serverUrl: server.url });
  await sendUi(popup, 'ui/account-create');
  return { page, popup, reviewPosts, errors };
}

/** The words shown beside a control (its aria-describedby error), or beside a fieldset. */
const errorBeside = (form: ReturnType<Page['locator']>, label: string) => form.locator('.field', { has: form.page().getByLabel(label, { exact: true }) }).locator('.error');

test('the three-click empty review is refused with every error beside its field; a review that says something is sent', async ({ context, background }) => {
  const server = await startTestServer();
  try {
    const { popup, reviewPosts, errors } = await setUp(context, background, server);
    await popup.getByRole('button', { name: 'Write a review' }).click();
    const form = popup.locator('form[data-form="review"]');
    await expect(form.getByLabel('Reward', { exact: true })).toHaveValue('1.50');
    // A time is suggested from when the task was accepted, but "finished" is not answered for the worker.
    await expect(form.getByLabel('Minutes worked')).toHaveValue(/^\d+$/);
    await expect(form.getByLabel('Yes', { exact: true })).not.toBeChecked();
    await expect(form.getByLabel('No', { exact: true })).not.toBeChecked();

    // Third click: Send, with nothing said.
    await form.getByRole('button', { name: 'Send review' }).click();
    const finished = form.locator('fieldset', { hasText: 'Did you finish the task?' });
    await expect(finished.locator('.error')).toHaveText('say whether you finished the task');
    await expect(errorBeside(form, 'Your review')).toHaveText(`give at least one rating, or write at least ${REVIEW_MIN_TEXT} characters`);
    await expect(form.getByLabel('Your review')).toHaveAttribute('aria-invalid', 'true');
    // Both at once in the announced line too, in words a worker reads (no "Invalid input").
    const summary = form.locator('[data-role="form-error"]');
    await expect(summary).toContainText('Did you finish the task? Say whether you finished the task.');
    await expect(summary).toContainText('Your review: give at least one rating');
    await expect(form).not.toContainText('Invalid input');
    await popup.screenshot({ path: artifactPath('forms-review-errors.png'), fullPage: true });
    const axe = await new AxeBuilder({ page: popup }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);

    // Half a minute for $1.50 is $180 per hour: above the published ceiling, so it asks first.
    await form.getByLabel('Yes', { exact: true }).check();
    await form.getByLabel('Pay', { exact: true }).selectOption('4');
    await form.getByLabel('Minutes worked').fill('0.5');
    await form.getByRole('button', { name: 'Send review' }).click();
    await expect(errorBeside(form, 'Minutes worked')).toContainText('more pay per hour than Lantern expects');
    await expect(errorBeside(form, 'Your review')).toHaveCount(0); // a rating says something
    const confirm = form.getByLabel(/Yes, I worked 0\.5 minutes for this reward \(\$180\.00 per hour\)/);
    await expect(confirm).toBeVisible();
    expect(reviewPosts).toEqual([]); // nothing refused by the form reached the server

    // The worker corrects the time instead: fifteen minutes, no question asked, sent.
    await form.getByLabel('Minutes worked').fill('15');
    await expect(confirm).toHaveCount(0);
    await form.getByLabel('Your review').fill('Paid on time; the survey took the fifteen minutes it said.');
    await form.getByRole('button', { name: 'Send review' }).click();
    await expect(popup.getByRole('status').first()).toHaveText('Sent.');
    expect(reviewPosts).toEqual(['POST']);
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('a tick confirms an implausible pay per hour, and the review is sent', async ({ context, background }) => {
  const server = await startTestServer();
  try {
    const { popup, reviewPosts } = await setUp(context, background, server);
    await popup.getByRole('button', { name: 'Write a review' }).click();
    const form = popup.locator('form[data-form="review"]');
    await form.getByLabel('Yes', { exact: true }).check();
    await form.getByLabel('Fairness').selectOption('5');
    await form.getByLabel('Minutes worked').fill('0.5');
    await form.getByRole('button', { name: 'Send review' }).click();
    await expect(errorBeside(form, 'Minutes worked')).toContainText('tick the box to confirm it');
    await form.getByLabel(/Yes, I worked 0\.5 minutes/).check();
    await form.getByRole('button', { name: 'Send review' }).click();
    await expect(popup.getByRole('status').first()).toHaveText('Sent.');
    expect(reviewPosts).toEqual(['POST']);

  } finally {
    await server.stop();
  }
});

test('a review queued by an older release that says nothing comes back refused in words, to be edited, not a crash', async ({ context, background }) => {
  const server = await startTestServer();
  try {
    const { popup, errors } = await setUp(context, background, server);
    const payload = {
      requester: REQUESTER_KEY,
      requesterName: REQUESTER_NAME,
      taskId: GROUP_ID,
      taskTitle: TASK_TITLE,
      reward: { cents: 150, currency: 'USD' },
      bonusCents: 0,
      minutes: 1,
      finished: true,
      outcome: 'pending',
      daysToDecision: null,
      ratings: { pay: null, fairness: null, speed: null, communication: null },
      text: '',
      tags: [],
    };
    await putRows(background, 'outbox', [
      { id: '00000000-0000-4000-8000-00000000f0f0', submission: { kind: 'review', payload }, createdAt: Date.now(), attempts: 0, state: 'queued', lastError: null, errorField: null, nextAttemptAt: 0 },
    ]);
    await popup.reload();
    await popup.getByRole('button', { name: 'Sync now' }).first().click();
    const item = popup.locator('[data-view="outbox"] li[data-outbox-state="rejected"]');
    // The server's refusal (the shared schema's rule), naming the field, in the worker's words.
    await expect(item.locator('[data-field="outbox-error"]')).toContainText(`Your review: give at least one rating, or write at least ${REVIEW_MIN_TEXT} characters`);
    await item.getByRole('button', { name: 'Edit' }).click();
    const edit = popup.locator('form[data-form="review"]');
    await expect(errorBeside(edit, 'Your review')).toHaveText(`give at least one rating, or write at least ${REVIEW_MIN_TEXT} characters`);
    await edit.getByLabel('Pay', { exact: true }).selectOption('3');
    await edit.getByRole('button', { name: 'Send review' }).click();
    await expect(popup.getByRole('status').first()).toHaveText('Sent.');
    await expect(popup.locator('[data-view="outbox"] li')).toHaveCount(0);
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});
