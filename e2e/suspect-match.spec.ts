/**
 * Suspect tasks matched locally, end to end in real Chromium against the real server: a
 * worker accepts task T of requester R (the fixture task page, recorded by the work log);
 * three established workers report a suspension after T (the public API), so the server
 * opens an incident and T rides in R's replicated row as "under investigation"; the
 * worker's next sync brings it, the background matches it against the work log, and the
 * popup's banner says so in words. No request of the worker's browser names T or R.
 *
 * Notifications: `notifications` is an optional permission, asked on a click. Headless
 * Chromium shows the permission prompt as a native dialog nobody can answer (checked:
 * `permissions.request` after a real click never settles), so the notification itself is
 * checked on a copy of the same build whose manifest grants it at install.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import type { BrowserContext, Page, Request, Worker } from '@playwright/test';
import type { SuspectMatch } from '../src/core/work-log.js';
import { startTestServer, type TestServer } from './server.js';
import {
  artifactPath,
  backgroundOf,
  expect,
  extensionIdOf,
  extensionPage,
  extensionWithNotificationsGranted,
  FIXTURES_DIR,
  launchWithExtension,
  sendUi,
  serveFixture,
  test,
} from './harness.js';

const PAGES = JSON.parse(readFileSync(join(FIXTURES_DIR, 'pages-fixtures.json'), 'utf8')) as {
  fixtures: Record<string, { url: string; task: { groupId: string; title: string; requesterId: string; requesterName: string } }>;
};
const ACCEPTED = PAGES.fixtures['mturk-task-accepted.html']!;
const T = ACCEPTED.task.groupId;
const R = `mturk:${ACCEPTED.task.requesterId}`;

let server: TestServer;
let incident: Promise<void> | null = null;

test.beforeAll(async () => {
  server = await startTestServer();
});
test.afterAll(async () => {
  await server.stop();
});

/** Three accounts, made established (created 30 days ago), report a suspension after T. Once per file. */
function openIncident(): Promise<void> {
  incident ??= (async () => {
    const secrets: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${server.url}/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      secrets.push(((await response.json()) as { accountSecret: string }).accountSecret);
    }
    const db = new Database(server.database);
    try {
      const age = db.prepare('UPDATE accounts SET created_at = ? WHERE secret_hash = ?');
      for (const secret of secrets) age.run(Date.now() - 30 * 86_400_000, createHash('sha256').update(secret).digest('hex'));
    } finally {
      db.close();
    }
    for (const secret of secrets) {
      const response = await fetch(`${server.url}/v1/suspension-reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          suspendedOn: new Date().toISOString().slice(0, 10),
          tasks: [{ requester: R, requesterName: ACCEPTED.task.requesterName, taskId: T, taskTitle: ACCEPTED.task.title }],
          note: '',
        }),
      });
      if (!response.ok) throw new Error(`report: ${response.status} ${await response.text()}`);
    }
  })();
  return incident;
}

/** A moderator's account secret, granted with the real role command. */
async function moderatorSecret(): Promise<string> {
  const response = await fetch(`${server.url}/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const secret = ((await response.json()) as { accountSecret: string }).accountSecret;
  const reference = createHash('sha256').update(secret).digest('hex');
  execFileSync('npx', ['tsx', 'scripts/moderator.ts', 'grant', '--role', 'moderator', '--account', reference, '--name', 'moderator-m', '--database', server.database], { stdio: 'pipe' });
  return secret;
}

/** Every request the worker's browser makes (pages and service worker), with its body. */
function recordRequests(context: BrowserContext): { url: string; body: string }[] {
  const seen: { url: string; body: string }[] = [];
  context.on('request', (request: Request) => seen.push({ url: request.url(), body: request.postData() ?? '' }));
  return seen;
}

/** The worker accepts T on the task page; the work log records it. */
async function doTask(context: BrowserContext, ui: Page): Promise<void> {
  await serveFixture(context, `${new URL(ACCEPTED.url).origin}/**`, 'mturk-task-accepted.html');
  const page = await context.newPage();
  await page.goto(ACCEPTED.url);
  await expect
    .poll(async () => (await sendUi<{ entries: { taskId: string; acceptedAt: number | null }[] }>(ui, 'ui/work-log-query', { limit: 50 })).entries)
    .toContainEqual(expect.objectContaining({ taskId: T, acceptedAt: expect.any(Number) }));
  await page.close();
}

async function matchesOf(ui: Page): Promise<SuspectMatch[]> {
  return (await sendUi<{ matches: SuspectMatch[] }>(ui, 'ui/suspect-matches')).matches;
}

/** Requests from the worker's browser: none may carry the task or the requester, in any spelling. */
function expectNothingNamed(requests: { url: string; body: string }[]): void {
  const platformPage = new URL(ACCEPTED.url).origin; // the worker's own visit to the task page itself
  const mine = requests.filter((r) => !r.url.startsWith(platformPage));
  expect(mine.some((r) => r.url.startsWith(server.url))).toBe(true); // it did sync: the check is not empty
  const needles = [T, R, ACCEPTED.task.requesterId, encodeURIComponent(R), ACCEPTED.task.title, ACCEPTED.task.requesterName];
  for (const request of mine) for (const needle of needles) expect(`${request.url}\n${request.body}`).not.toContain(needle);
}

test('a worker who did a suspect task sees the banner after the next sync; no request names the task or requester', async ({ context, background }) => {
  const requests = recordRequests(context);
  const ui = await extensionPage(context, background);
  await sendUi(ui, 'ui/settings-set', { serverUrl: server.url });
  await sendUi(ui, 'ui/sync-now');
  await doTask(context, ui);
  expect(await matchesOf(ui)).toEqual([]);

  await openIncident();
  await sendUi(ui, 'ui/sync-now'); // a delta brings R's row with T under investigation
  await expect.poll(() => matchesOf(ui)).toEqual([expect.objectContaining({ id: `${R}|${T}`, state: 'investigating', accounts: 3, dismissed: false })]);

  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionIdOf(background)}/popup.html`);
  const banner = popup.locator('[data-banner="suspect-matches"]');
  await expect(banner.getByRole('alert')).toHaveText(/a task in your work log was followed by other workers' accounts being suspended/);
  const item = banner.locator(`[data-suspect-match="${R}|${T}"]`);
  await expect(item).toContainText(`Task: ${ACCEPTED.task.title} (id ${T})`);
  await expect(item).toContainText(`Requester: ${ACCEPTED.task.requesterName} (${R})`);
  await expect(item).toContainText('You did it:');
  await expect(item).toContainText('3 workers reported their accounts suspended after this task.');
  await expect(item.locator('[data-suspect-state="investigating"]')).toHaveText('under investigation');
  await expect(item.locator('[data-suspect-state] svg')).toHaveCount(1); // an icon beside the words
  await expect(banner).toContainText('screenshots, the requester\'s messages, and your submission receipts');
  // Not granted yet: offered on a click (the browser asks then).
  await expect(banner.getByRole('button', { name: 'Turn on notifications' })).toBeVisible();
  await popup.screenshot({ path: artifactPath('suspect-match-banner.png'), fullPage: true });
  const axe = await new AxeBuilder({ page: popup }).include('[data-banner="suspect-matches"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // The work-log export downloads a file from the page itself.
  const download = popup.waitForEvent('download');
  await banner.getByRole('button', { name: 'Export your work log (CSV)' }).click();
  expect(readFileSync((await (await download).path())!, 'utf8')).toContain(T);

  // Keyboard: Dismiss is reachable and works; the match stays stored, dismissed.
  const dismiss = item.getByRole('button', { name: `Dismiss the warning about “${ACCEPTED.task.title}”` });
  await dismiss.focus();
  await expect(dismiss).toBeFocused();
  await popup.keyboard.press('Enter');
  await expect(popup.locator('[data-banner="suspect-matches"]')).toHaveCount(0);
  expect(await matchesOf(ui)).toEqual([expect.objectContaining({ dismissed: true })]);

  // The options page: notifications can be turned off (the banner shows regardless).
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionIdOf(background)}/options.html`);
  await options.locator('details[data-group="more"] > summary').click(); // blocklist, alerts, work log… wait under "More settings"
  const alerts = options.locator('[data-section="alerts"]');
  const notify = alerts.getByLabel('Also show a browser notification when a task I did is linked to suspensions');
  await expect(notify).toBeChecked();
  await expect(alerts.getByRole('button', { name: 'Turn on notifications' })).toBeVisible(); // not granted yet
  await notify.press('Space'); // keyboard
  await expect(notify).not.toBeChecked();
  await expect.poll(async () => (await sendUi<{ alerts: { notify: boolean } }>(ui, 'ui/settings-get')).alerts.notify).toBe(false);

  expectNothingNamed(requests);
});

test('with notifications allowed: a notification per state (investigating, then confirmed by a moderator); a dismissed incident removes match and notification', async () => {
  // The same build, with notifications granted at install (see the file comment for why).
  const context = await launchWithExtension('', extensionWithNotificationsGranted());
  try {
    const background: Worker = await backgroundOf(context);
    const requests = recordRequests(context);
    const ui = await extensionPage(context, background);
    await sendUi(ui, 'ui/settings-set', { serverUrl: server.url });
    await doTask(context, ui);
    await openIncident();
    await sendUi(ui, 'ui/sync-now'); // first sync: the snapshot carries T already
    await expect.poll(() => matchesOf(ui)).toEqual([expect.objectContaining({ notifiedState: 'investigating' })]);
    const shown = await background.evaluate(async (id) => {
      const chrome = (globalThis as unknown as { chrome: { notifications: { getAll(): Promise<Record<string, boolean>> } } }).chrome;
      return Object.keys(await chrome.notifications.getAll()).filter((n) => n === id);
    }, `lantern-suspect:${R}|${T}`);
    expect(shown).toHaveLength(1);

    // The popup no longer offers to turn them on.
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionIdOf(background)}/popup.html`);
    await expect(popup.locator(`[data-suspect-match="${R}|${T}"]`)).toBeVisible();
    await expect(popup.getByRole('button', { name: 'Turn on notifications' })).toHaveCount(0);

    // A moderator confirms the incident: the next sync notifies again, "confirmed".
    const moderator = await moderatorSecret();
    const decide = async (decision: 'confirm' | 'dismiss') => {
      const listed = await fetch(`${server.url}/v1/moderation/incidents`, { headers: { authorization: `Bearer ${moderator}` } });
      const { items } = (await listed.json()) as { items: { id: string; taskId: string | null }[] };
      const id = items.find((i) => i.taskId === T)!.id;
      const response = await fetch(`${server.url}/v1/moderation/incidents/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${moderator}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ decision, reason: 'Checked the reports against the task.' }),
      });
      if (!response.ok) throw new Error(`${decision}: ${response.status} ${await response.text()}`);
    };
    await decide('confirm');
    await sendUi(ui, 'ui/sync-now');
    await expect.poll(() => matchesOf(ui)).toEqual([expect.objectContaining({ state: 'confirmed', notifiedState: 'confirmed' })]);
    await popup.reload();
    await expect(popup.locator('[data-suspect-state="confirmed"]')).toHaveText("confirmed by Lantern's moderators");

    // Dismissed after all: the task is no longer suspect, the match and its notification go.
    await decide('dismiss');
    await sendUi(ui, 'ui/sync-now');
    await expect.poll(() => matchesOf(ui)).toEqual([]);
    await expect.poll(() => background.evaluate(async () => Object.keys(await (globalThis as unknown as { chrome: { notifications: { getAll(): Promise<object> } } }).chrome.notifications.getAll()))).toEqual([]);
    await popup.reload();
    await expect(popup.locator('[data-banner="suspect-matches"]')).toHaveCount(0);
    expectNothingNamed(requests);
  } finally {
    await context.close();
  }
});
