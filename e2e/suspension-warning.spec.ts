/**
 * The suspension early warning, the whole story (issue 11), in real Chromium against the
 * real server — four worker profiles and a moderator:
 * 1. Three established workers did task T of requester R: each accepts it on the task
 *    page (the fixture page), and the content script records it in the browser-only work
 *    log. Worker 2 also did task T2 of another requester R2.
 * 2. Workers 1 and 2 are suspended and report it from the popup's home, with no platform
 *    tab open anywhere: they pick T (worker 2 also T2) from their work log.
 * 3. The server opens ONE incident for (R, T) — two established accounts within the
 *    window — listed first on /moderate with its counts; T2 counts under R2, not R.
 * 4. A moderator confirms it: T rides in R's replicated row as "confirmed".
 * 5. A fourth worker, who did T two days ago, syncs: the background matches T against
 *    its work log, a notification goes out and the popup's banner says, in words, which
 *    task, when, how many workers, confirmed, and what to do now. None of the requests
 *    that fourth browser made names T or R.
 * Screenshots: artifacts/warning-*.png.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test, type BrowserContext, type Page, type Request, type Worker } from '@playwright/test';
import type { SuspectMatch, WorkLogEntry } from '../src/core/work-log.js';
import { allRows, putRows } from './extension-idb.js';
import { artifactPath, backgroundOf, expect, EXTENSION_DIR, extensionIdOf, extensionPage, extensionWithNotificationsGranted, FIXTURES_DIR, launchWithExtension, sendUi } from './harness.js';
import { startTestServer, type TestServer } from './server.js';

const DAY = 86_400_000;
const PAGES = JSON.parse(readFileSync(join(FIXTURES_DIR, 'pages-fixtures.json'), 'utf8')) as {
  fixtures: Record<string, { url: string; task: { groupId: string; title: string; requesterId: string; requesterName: string } }>;
};
const ACCEPTED = PAGES.fixtures['mturk-task-accepted.html']!;
const TASK_HTML = readFileSync(join(FIXTURES_DIR, 'mturk-task-accepted.html'), 'utf8');
/** Task T of requester R: the accepted task page fixture as it is. */
const T = { id: ACCEPTED.task.groupId, title: ACCEPTED.task.title, url: ACCEPTED.url };
const R = { id: ACCEPTED.task.requesterId, key: `mturk:${ACCEPTED.task.requesterId}`, name: ACCEPTED.task.requesterName };
/** Task T2 of requester R2: the same page with another requester and task group (same title). */
const R2 = { id: 'A3SECONDREQ0042', key: 'mturk:A3SECONDREQ0042', name: 'Northwind Surveys' };
const T2 = { id: '3SECONDGROUP000000000000000042', title: T.title };
const T2_URL = T.url.replace(T.id, T2.id);
const T2_HTML = TASK_HTML.replaceAll(R.id, R2.id).replaceAll(T.id, T2.id).replaceAll(R.name, R2.name);

interface Profile {
  context: BrowserContext;
  background: Worker;
  ui: Page;
  requests: { url: string; body: string }[];
}

/** A worker's browser: its own profile with the built extension, pointed at the server (when given), every request recorded. */
async function openProfile(server: TestServer | null, extensionDir = EXTENSION_DIR): Promise<Profile> {
  const context = await launchWithExtension('', extensionDir);
  const requests: Profile['requests'] = [];
  context.on('request', (request: Request) => requests.push({ url: request.url(), body: request.postData() ?? '' }));
  const background = await backgroundOf(context);
  const ui = await extensionPage(context, background);
  if (server) await sendUi(ui, 'ui/settings-set', { serverUrl: server.url });
  return { context, background, ui, requests };
}

/** The worker accepts a task on its (fixture) task page; the content script records it in the work log. */
async function acceptTask(profile: Profile, url: string, html: string, taskId: string): Promise<void> {
  await profile.context.route(url.split('?')[0]! + '*', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  const page = await profile.context.newPage();
  await page.goto(url);
  await expect
    .poll(async () => (await sendUi<{ entries: WorkLogEntry[] }>(profile.ui, 'ui/work-log-query', { limit: 50 })).entries.map((e) => [e.taskId, e.acceptedAt !== null]))
    .toContainEqual([taskId, true]);
  await page.close();
}

/** Accounts older than the rules' seven days count as established: age them all in the server's database. */
function ageAccounts(server: TestServer, days: number): void {
  const db = new Database(server.database);
  try {
    db.prepare('UPDATE accounts SET created_at = created_at - ?').run(days * DAY);
  } finally {
    db.close();
  }
}

/** "I was suspended" from the popup's home: no platform tab is open in this browser. */
async function reportFromHome(profile: Profile, picks: { requester: string; taskId: string }[], screenshot?: string): Promise<void> {
  for (const page of profile.context.pages()) if (page !== profile.ui) await page.close();
  expect(profile.context.pages().map((p) => new URL(p.url()).protocol)).toEqual(['chrome-extension:']);
  const popup = profile.ui;
  await popup.setViewportSize({ width: 380, height: 900 });
  await popup.goto(`chrome-extension://${extensionIdOf(profile.background)}/popup.html`);
  await expect(popup.locator('main > section').first()).toHaveAttribute('data-view', 'suspended');
  await popup.locator('[data-view="suspended"]').getByRole('button', { name: 'I was suspended — report it' }).click();
  const form = popup.locator('form[data-form="suspension"]');
  const picker = form.locator('[data-list="work-log-tasks"]');
  for (const pick of picks) {
    await picker.locator(`fieldset[data-requester="${pick.requester}"]`).getByRole('checkbox', { name: new RegExp(`task ${pick.taskId}`) }).check();
  }
  const requesters = new Set(picks.map((p) => p.requester)).size;
  await expect(form.locator('[data-field="report-summary"]')).toHaveText(
    `${picks.length} task${picks.length === 1 ? '' : 's'} from ${requesters} requester${requesters === 1 ? '' : 's'} will be reported.`,
  );
  if (screenshot) await popup.screenshot({ path: artifactPath(screenshot), fullPage: true });
  await form.getByRole('button', { name: 'Send report' }).click();
  await expect(popup.getByRole('status').first()).toHaveText('Sent.');
}

async function signInModerator(server: TestServer, context: BrowserContext): Promise<Page> {
  const response = await fetch(`${server.url}/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const secret = ((await response.json()) as { accountSecret: string }).accountSecret;
  const reference = createHash('sha256').update(secret).digest('hex');
  execFileSync('npx', ['tsx', 'scripts/moderator.ts', 'grant', '--role', 'moderator', '--account', reference, '--name', 'mod-warning', '--database', server.database], { stdio: 'pipe' });
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(`${server.url}/moderate`);
  await page.getByLabel('Account secret').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('[data-field="pseudonym"]')).toHaveText('mod-warning');
  return page;
}

/** A missing control fails in seconds, not at the test's timeout. */
test.use({ actionTimeout: 15_000 });
test('suspensions after one task: reported from the popup home, an incident on /moderate, confirmed, and a fourth worker warned locally', async () => {
  test.setTimeout(240_000);
  const server = await startTestServer();
  const profiles: Profile[] = [];
  try {
    // 1. Three workers with accounts did T; worker 2 also did T2 of another requester.
    for (let i = 0; i < 3; i++) {
      const profile = await openProfile(server);
      profiles.push(profile);
      await sendUi(profile.ui, 'ui/account-create');
      await acceptTask(profile, T.url, TASK_HTML, T.id);
    }
    const [w1, w2, w3] = profiles as [Profile, Profile, Profile];
    await acceptTask(w2, T2_URL, T2_HTML, T2.id);
    const w2Log = await allRows<WorkLogEntry>(w2.background, 'workLog');
    expect(w2Log.map((e) => [e.requester, e.taskId]).sort()).toEqual([[R.key, T.id], [R2.key, T2.id]].sort());
    // Accounts made a month ago: established (the published rule: older than 7 days).
    ageAccounts(server, 30);

    // 2. Workers 1 and 2 report from the popup's home, with no platform tab open.
    await reportFromHome(w1, [{ requester: R.key, taskId: T.id }]);
    await reportFromHome(w2, [{ requester: R.key, taskId: T.id }, { requester: R2.key, taskId: T2.id }], 'warning-popup-report-two-requesters.png');
    // Nothing of the work log went anywhere: the only task ids sent are the picked ones, in the reports.
    for (const [profile, picked] of [[w1, [T.id]], [w2, [T.id, T2.id]]] as const) {
      const toServer = profile.requests.filter((r) => r.url.startsWith(server.url));
      const reports = toServer.filter((r) => r.url.endsWith('/v1/suspension-reports'));
      expect(reports).toHaveLength(1);
      const body = JSON.parse(reports[0]!.body) as { tasks: { requester: string; taskId: string }[]; suspendedOn: string };
      expect(body.tasks.map((t) => t.taskId).sort()).toEqual([...picked].sort());
      expect(body.tasks.find((t) => t.taskId === T2.id)?.requester ?? R2.key).toBe(R2.key);
      for (const other of toServer.filter((r) => r !== reports[0])) expect(other.body).not.toContain(T.id);
    }

    // 3. One incident for (R, T), opened by the server; T2 counted under R2.
    const db = new Database(server.database, { readonly: true });
    try {
      const incidents = db.prepare('SELECT requester_key, task_key, status, accounts FROM incidents').all();
      expect(incidents).toEqual([{ requester_key: R.key, task_key: T.id, status: 'open', accounts: 2 }]);
      const tasks = db.prepare('SELECT requester_key, task_id FROM suspension_report_tasks ORDER BY requester_key, task_id').all();
      expect(tasks).toEqual(
        [
          { requester_key: R.key, task_id: T.id },
          { requester_key: R.key, task_id: T.id },
          { requester_key: R2.key, task_id: T2.id },
        ].sort((a, b) => a.requester_key.localeCompare(b.requester_key)),
      );
      // Week precision: every stored suspension date is a Monday.
      const days = db.prepare('SELECT suspended_on FROM suspension_reports').all() as { suspended_on: string }[];
      for (const { suspended_on } of days) expect(new Date(`${suspended_on}T00:00:00Z`).getUTCDay()).toBe(1);
    } finally {
      db.close();
    }

    const mod = await signInModerator(server, w3.context);
    const incidentsTab = mod.getByRole('tab', { name: /Incidents/ });
    await expect(incidentsTab).toHaveAttribute('aria-selected', 'true');
    await expect(incidentsTab).toContainText('1');
    const incident = mod.locator('[data-panel="incidents"] li[data-incident]');
    await expect(incident).toHaveCount(1);
    await expect(incident.locator('h3')).toHaveText(
      `2 established accounts reported a suspension after task “${T.title}” (${T.id}) of requester ${R.name} (${R.key}) within 14 days`,
    );
    await expect(incident).toContainText('2 reports');
    await mod.screenshot({ path: artifactPath('warning-moderate-incident.png'), fullPage: true });

    // The correlation view, from one account: T2 under its own requester R2, never under R.
    await mod.getByRole('tab', { name: /Correlation/ }).click();
    await mod.getByLabel('Show tasks with at least N accounts').fill('1');
    await mod.getByRole('button', { name: 'Update' }).click();
    const shared = mod.locator(`li[data-correlation="${R.key} ${T.id}"]`);
    await expect(shared).toContainText(`2 established accounts reported a suspension after task “${T.title}”`);
    await expect(mod.locator(`li[data-correlation="${R2.key} ${T2.id}"]`)).toContainText(`1 established account reported a suspension after task “${T2.title}”`);
    await expect(mod.locator(`li[data-correlation="${R.key} ${T2.id}"]`)).toHaveCount(0);
    await expect(mod.locator('li[data-correlation]').first()).toHaveAttribute('data-correlation', `${R.key} ${T.id}`); // most shared first
    await mod.screenshot({ path: artifactPath('warning-moderate-correlation.png'), fullPage: true });

    // 4. The moderator confirms the incident.
    await mod.getByRole('tab', { name: /Incidents/ }).click();
    await incident.getByRole('button', { name: 'Confirm incident', exact: true }).click();
    const form = incident.locator('form[data-action="Confirm incident"]');
    await form.getByLabel(/Reason/).fill('Two established workers, one task, days apart.');
    await form.getByRole('button', { name: 'Confirm: Confirm incident' }).click();
    await expect(mod.getByRole('status').first()).toHaveText(/Incident confirmed/);
    await mod.close();

    // 5. A fourth worker did T two days ago (in its own work log) and syncs.
    // Its browser knows no server yet: the task is in its log, from two days ago, before any sync.
    const w4 = await openProfile(null, extensionWithNotificationsGranted());
    profiles.push(w4);
    await acceptTask(w4, T.url, TASK_HTML, T.id);
    const [logged] = await allRows<WorkLogEntry>(w4.background, 'workLog');
    const twoDaysAgo = Date.now() - 2 * DAY;
    const shift = (at: number | null) => (at === null ? null : at - (Date.now() - twoDaysAgo));
    await putRows(w4.background, 'workLog', [
      { ...logged!, firstSeenAt: shift(logged!.firstSeenAt)!, acceptedAt: shift(logged!.acceptedAt), lastAt: shift(logged!.lastAt)! },
    ]);
    for (const page of w4.context.pages()) if (page !== w4.ui) await page.close();
    await sendUi(w4.ui, 'ui/settings-set', { serverUrl: server.url });
    await sendUi(w4.ui, 'ui/sync-now');
    await expect
      .poll(async () => (await sendUi<{ matches: SuspectMatch[] }>(w4.ui, 'ui/suspect-matches')).matches)
      .toEqual([expect.objectContaining({ id: `${R.key}|${T.id}`, state: 'confirmed', accounts: 2, dismissed: false, notifiedState: 'confirmed' })]);
    const notifications = await w4.background.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: { notifications: { getAll(): Promise<Record<string, boolean>> } } }).chrome;
      return Object.keys(await chrome.notifications.getAll());
    });
    expect(notifications).toEqual([`lantern-suspect:${R.key}|${T.id}`]);

    await w4.ui.setViewportSize({ width: 380, height: 900 });
    await w4.ui.goto(`chrome-extension://${extensionIdOf(w4.background)}/popup.html`);
    const banner = w4.ui.locator(`[data-suspect-match="${R.key}|${T.id}"]`);
    await expect(banner).toBeVisible();
    await expect(banner).toContainText(T.title);
    await expect(banner).toContainText(R.name);
    await expect(banner).toContainText(/2 workers/);
    await expect(banner).toContainText(/confirmed/i);
    const whole = w4.ui.locator('[data-banner="suspect-matches"]');
    await expect(whole.getByRole('heading', { name: 'What to do now' })).toBeVisible();
    await expect(whole.getByRole('button', { name: 'Export your work log (CSV)' })).toBeVisible();
    const workedOn = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(new Date(twoDaysAgo)); // "Dec 1, 2026"
    await expect(banner).toContainText(workedOn);
    await w4.ui.screenshot({ path: artifactPath('warning-popup-banner.png'), fullPage: true });

    // No request of the fourth browser named T or R (the task page itself aside, which it visited).
    const platform = new URL(T.url).origin;
    const mine = w4.requests.filter((r) => !r.url.startsWith(platform));
    expect(mine.some((r) => r.url.startsWith(`${server.url}/v1/sync/`))).toBe(true);
    for (const request of mine) {
      for (const needle of [T.id, R.id, encodeURIComponent(R.key), T.title, R.name]) expect(`${request.url}\n${request.body}`).not.toContain(needle);
    }

    // Worker 3 did T too but never reported: it is warned at its next sync, like anyone.
    await sendUi(w3.ui, 'ui/sync-now');
    await expect.poll(async () => (await sendUi<{ matches: SuspectMatch[] }>(w3.ui, 'ui/suspect-matches')).matches.map((m) => m.id)).toEqual([`${R.key}|${T.id}`]);
  } finally {
    for (const profile of profiles) await profile.context.close();
    await server.stop();
  }
});
