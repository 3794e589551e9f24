/**
 * "I was suspended" from the popup's home, in real Chromium against the real server: no
 * platform tab open, tasks picked from the work log across two requesters (each under its
 * own requester), one more requester typed by id; then "My reports": reinstated, edited,
 * withdrawn. And "tasks you could review" opening a review prefilled from the work log.
 *
 * The work log is seeded straight into the background's IndexedDB, as the content script
 * would have recorded it (recording itself is the work log's own tests' business).
 */
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import type { Page, Worker } from '@playwright/test';
import { weekStart } from '../src/core/schemas.js';
import type { WorkLogEntry } from '../src/core/work-log.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactPath, expect, extensionIdOf, FIXTURES_DIR, sendUi, serveFixture, test } from './harness.js';
import { allRows, putRows } from './extension-idb.js';
import { startTestServer } from './server.js';

const DAY = 86_400_000;
const ACME = 'mturk:A1ACMELABS0001';
const BETA = 'mturk:A2BETARESEARCH9';
const OLD = 'mturk:A3OLDREQUESTER7';
const PROLIFIC_ID = '5f0c1a2b3c4d5e6f70819203';

function entry(requester: string, requesterName: string, taskId: string, taskTitle: string, daysAgo: number, extra: Partial<WorkLogEntry> = {}): WorkLogEntry {
  const at = Date.now() - daysAgo * DAY;
  return {
    id: `${requester}|${taskId}|`,
    requester,
    requesterName,
    taskId,
    assignmentId: null,
    taskTitle,
    reward: { cents: 150, currency: 'USD' },
    firstSeenAt: at,
    acceptedAt: at,
    submittedAt: at + 10 * 60_000,
    returnedAt: null,
    outcome: 'pending',
    decidedAt: null,
    lastAt: at + 10 * 60_000,
    reviewed: false,
    ...extra,
  };
}

/** Work-log entries as the content script's recording would leave them. */
const seedWorkLog = (background: Worker, entries: WorkLogEntry[]) => putRows(background, 'workLog', entries);

/** The popup as a tab of its own: no platform page is open anywhere. */
async function openPopup(page: Page, background: Worker): Promise<Page> {
  await page.setViewportSize({ width: 380, height: 900 });
  await page.goto(`chrome-extension://${extensionIdOf(background)}/popup.html`);
  return page;
}

/** WCAG 2 A/AA violations on the page (rule and targets), as the accessibility spec checks them. */
async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

test('a suspended worker reports tasks of two requesters from the popup home, then marks it reinstated, edits and withdraws it', async ({ context, background }) => {
  const server = await startTestServer();
  try {
    await seedWorkLog(background, [
      entry(ACME, 'Acme Labs', 'ACMETASK0000000000000000000001', 'Shopping survey', 2),
      entry(ACME, 'Acme Labs', 'ACMETASK0000000000000000000002', 'Image tagging', 5),
      entry(BETA, 'Beta Research', 'BETATASK0000000000000000000001', 'Audio transcription', 3),
      entry(OLD, 'Old Requester', 'OLDTASK00000000000000000000001', 'Long-ago survey', 45),
    ]);
    const popup = await openPopup(await context.newPage(), background);
    await sendUi(popup, 'ui/settings-set', { serverUrl: server.url });
    await sendUi(popup, 'ui/account-create');
    await popup.reload();
    const pageErrors: Error[] = [];
    popup.on('pageerror', (error) => pageErrors.push(error));

    // No platform page: the suspension report leads the home, before "on this page".
    const suspended = popup.locator('[data-view="suspended"]');
    await expect(popup.locator('main > section').first()).toHaveAttribute('data-view', 'suspended');
    await suspended.getByRole('button', { name: 'I was suspended — report it' }).click();
    const form = popup.locator('form[data-form="suspension"]');
    await expect(popup.getByRole('heading', { name: 'I was suspended' })).toBeFocused();

    // The last 30 days, grouped by requester; the 45-day-old task only with a longer window.
    const picker = form.locator('[data-list="work-log-tasks"]');
    await expect(picker.locator('fieldset > legend')).toHaveText([/^Acme Labs/, /^Beta Research/]);
    await form.getByLabel('Tasks done in the last').selectOption('60');
    await expect(picker.locator('fieldset > legend')).toHaveText([/^Acme Labs/, /^Beta Research/, /^Old Requester/]);
    await form.getByLabel('Search by requester or task').fill('beta');
    await expect(picker.locator('fieldset > legend')).toHaveText([/^Beta Research/]);
    await form.getByLabel('Search by requester or task').fill('');
    await form.getByLabel('Tasks done in the last').selectOption('30');
    await expect(picker.locator('fieldset')).toHaveCount(2);

    await picker.locator(`fieldset[data-requester="${ACME}"]`).getByRole('checkbox', { name: /Shopping survey/ }).check();
    await picker.locator(`fieldset[data-requester="${BETA}"]`).getByRole('checkbox', { name: /Audio transcription/ }).check();
    await expect(form.locator('[data-field="report-summary"]')).toHaveText('2 tasks from 2 requesters will be reported.');

    // A requester the log doesn't have, typed by id: a bad one is refused in words first.
    const named = form.locator('[data-view="named-requesters"]');
    await named.getByLabel('Requester id or link').fill('hello there');
    await named.getByRole('button', { name: 'Add requester' }).click();
    await expect(named.getByLabel('Requester id or link')).toHaveAttribute('aria-invalid', 'true');
    await expect(named).toContainText('This is not a Mechanical Turk requester id');
    await named.getByLabel('Requester id or link').fill(`https://app.prolific.com/researcher/${PROLIFIC_ID}`);
    await named.getByLabel('Requester name').fill('Gamma Lab');
    await named.getByRole('button', { name: 'Add requester' }).click();
    await expect(named.locator(`[data-requester="prolific:${PROLIFIC_ID}"]`)).toContainText('Gamma Lab');
    await expect(form.locator('[data-field="report-summary"]')).toHaveText('2 tasks from 3 requesters will be reported.');

    // Any day: only its week is kept, and the form says which.
    const day = isoDay(Date.now() - 9 * DAY);
    const monday = weekStart(day);
    await form.getByLabel('Date your account was suspended').fill(day);
    const mondayText = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${monday}T00:00:00Z`));
    await expect(form).toContainText(`Lantern keeps only the week (starting Monday ${mondayText})`);
    await expect(form.locator('[data-field="report-privacy"]')).toHaveText('Only the tasks you pick are sent; your work log stays in this browser.');
    await form.getByLabel('Note (only moderators see it)').fill('Suspended the morning after.');
    await popup.screenshot({ path: artifactPath('popup-suspension-report.png'), fullPage: true });
    expect(await axeViolations(popup)).toEqual([]);
    await form.getByRole('button', { name: 'Send report' }).click();
    await expect(popup.getByRole('status').first()).toHaveText('Sent.');

    // The server got ONE report: each task under its own requester, the typed one without a task.
    const db = new Database(server.database, { readonly: true });
    try {
      const rows = db.prepare('SELECT report_id, requester_key, suspended_on, reinstated, withdrawn_at FROM suspension_reports ORDER BY requester_key').all() as {
        report_id: string;
        requester_key: string;
        suspended_on: string;
        reinstated: number;
      }[];
      expect(new Set(rows.map((r) => r.report_id)).size).toBe(1);
      expect(rows.map((r) => [r.requester_key, r.suspended_on, r.reinstated])).toEqual([
        [ACME, monday, 0],
        [BETA, monday, 0],
        [`prolific:${PROLIFIC_ID}`, monday, 0],
      ]);
      const tasks = db.prepare('SELECT requester_key, task_id FROM suspension_report_tasks ORDER BY requester_key').all();
      expect(tasks).toEqual([
        { requester_key: ACME, task_id: 'ACMETASK0000000000000000000001' },
        { requester_key: BETA, task_id: 'BETATASK0000000000000000000001' },
      ]);
    } finally {
      db.close();
    }

    // My reports: the state in words, the week, the tasks under their requesters.
    await popup.locator('[data-view="suspended"]').getByRole('button', { name: 'My reports' }).click();
    const report = popup.locator('[data-list="my-reports"] > li');
    await expect(report).toHaveCount(1);
    await expect(report.locator('[data-field="report-state"]')).toHaveText('◔ Open — counted, waiting for moderators');
    await expect(report).toContainText(`Week of ${mondayText}`);
    await expect(report.locator(`[data-requester="${ACME}"]`)).toHaveText('Acme Labs: Shopping survey');
    await expect(report.locator(`[data-requester="${BETA}"]`)).toHaveText('Beta Research: Audio transcription');
    await expect(report.locator(`[data-requester="prolific:${PROLIFIC_ID}"]`)).toHaveText('Gamma Lab (no task named)');
    await expect(report.locator('[data-field="report-reinstated"]')).toHaveText('Not reinstated');
    await popup.screenshot({ path: artifactPath('popup-my-reports.png'), fullPage: true });
    expect(await axeViolations(popup)).toEqual([]);

    await report.getByRole('button', { name: 'I was reinstated' }).click();
    await expect(popup.locator('[data-view="my-reports"]').getByRole('status')).toHaveText('Report updated.');
    await expect(report.locator('[data-field="report-reinstated"]')).toHaveText('Reinstated');
    const mine = await sendUi<{ reports: { reinstated: boolean; note: string; tasks: unknown[] }[] }>(popup, 'ui/my-reports');
    expect(mine.reports).toHaveLength(1);
    expect(mine.reports[0]!.reinstated).toBe(true);
    expect(mine.reports[0]!.note).toBe('Suspended the morning after.'); // one click must not erase the note

    // Edit: drop Beta's task; Acme's stays, each still under its own requester.
    await report.getByRole('button', { name: 'Edit' }).click();
    const edit = popup.locator('form[data-form="suspension"]');
    await expect(popup.getByRole('heading', { name: 'Edit your suspension report' })).toBeFocused();
    await expect(edit.getByLabel('My account was reinstated')).toBeChecked();
    const betaTask = edit.locator(`fieldset[data-requester="${BETA}"]`).getByRole('checkbox', { name: /Audio transcription/ });
    await expect(betaTask).toBeChecked();
    await betaTask.uncheck();
    await expect(edit.locator('[data-field="report-summary"]')).toHaveText('1 task from 2 requesters will be reported.');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(popup.getByRole('status').first()).toHaveText('Sent.');
    const edited = await sendUi<{ reports: { tasks: { requester: string; taskId: string }[]; requesters: { requester: string }[] }[] }>(popup, 'ui/my-reports');
    expect(edited.reports[0]!.tasks.map((t) => [t.requester, t.taskId])).toEqual([[ACME, 'ACMETASK0000000000000000000001']]);
    expect(edited.reports[0]!.requesters.map((r) => r.requester).sort()).toEqual([ACME, `prolific:${PROLIFIC_ID}`]);

    // Withdraw, after a confirmation: it leaves the list and every count.
    await popup.locator('[data-view="suspended"]').getByRole('button', { name: 'My reports' }).click();
    await report.getByRole('button', { name: 'Withdraw' }).click();
    await expect(report.getByRole('button', { name: 'Yes, withdraw' })).toBeFocused();
    await report.getByRole('button', { name: 'Yes, withdraw' }).click();
    await expect(popup.locator('[data-view="my-reports"]').getByRole('status')).toHaveText('Report withdrawn.');
    await expect(popup.locator('[data-view="my-reports"]')).toContainText('No suspension report has been delivered from this account.');
    const check = new Database(server.database, { readonly: true });
    try {
      const live = check.prepare('SELECT COUNT(*) AS n FROM suspension_reports WHERE withdrawn_at IS NULL').get() as { n: number };
      expect(live.n).toBe(0);
    } finally {
      check.close();
    }
    await expect(popup.locator('[data-view="outbox"] li')).toHaveCount(0);
    expect(pageErrors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('"tasks you could review" opens a review prefilled from the work log, and the task leaves the list once written', async ({ context, background }) => {
  const accepted = Date.now() - 6 * DAY;
  await seedWorkLog(background, [
    entry(ACME, 'Acme Labs', 'ACMETASK0000000000000000000003', 'Receipt transcription', 6, {
      acceptedAt: accepted,
      submittedAt: accepted + 12 * 60_000,
      outcome: 'approved',
      decidedAt: accepted + 12 * 60_000 + 3 * DAY,
      reward: { cents: 225, currency: 'USD' },
    }),
    // Not decided yet: nothing to review.
    entry(BETA, 'Beta Research', 'BETATASK0000000000000000000002', 'Pending survey', 1),
  ]);
  const popup = await openPopup(await context.newPage(), background);
  await expect(popup.locator('[data-view="reviewable"]')).toBeVisible();
  await popup.screenshot({ path: artifactPath('popup-home-no-platform.png'), fullPage: true });
  const list = popup.locator('[data-view="reviewable"] [data-list="reviewable"] > li');
  await expect(list).toHaveCount(1);
  await expect(list).toContainText('Receipt transcription');
  await expect(list).toContainText('Approved');
  await list.getByRole('button', { name: 'Write a review of Receipt transcription (Acme Labs)' }).click();

  const form = popup.locator('form[data-form="review"]');
  await expect(form.locator('[data-field="requesterName"]')).toHaveText('Acme Labs');
  await expect(form.locator('[data-field="from-work-log"]')).toContainText('Filled in from your work log');
  await expect(form.getByLabel('Task title')).toHaveValue('Receipt transcription');
  await expect(form.getByLabel('Task ID')).toHaveValue('ACMETASK0000000000000000000003');
  await expect(form.getByLabel('Reward', { exact: true })).toHaveValue('2.25');
  await expect(form.getByLabel('Minutes worked')).toHaveValue('12');
  await expect(form).toContainText('From your work log: from accepting to submitting this task.');
  await expect(form.getByLabel('Outcome')).toHaveValue('approved');
  await expect(form.getByLabel('Days until decided')).toHaveValue('3');
  await popup.screenshot({ path: artifactPath('popup-review-from-work-log.png'), fullPage: true });
  expect(await axeViolations(popup)).toEqual([]);

  await form.getByLabel('Pay', { exact: true }).selectOption('4');
  await form.getByRole('button', { name: 'Send review' }).click();
  await expect(popup.getByRole('status').first()).toHaveText('Queued — will be sent when the server is reachable.');
  // Written (queued): not offered again.
  await expect(popup.locator('[data-view="reviewable"]')).toContainText('No decided tasks are waiting for a review.');
});

test('on a task page, the review form takes time worked, outcome and days to decision from the work log', async ({ context, background }) => {
  const pages = JSON.parse(readFileSync(join(FIXTURES_DIR, 'pages-fixtures.json'), 'utf8')) as {
    fixtures: Record<string, { url: string; task: { groupId: string; assignmentId: string; title: string; requesterId: string; requesterName: string } }>;
  };
  const fixture = pages.fixtures['mturk-task-accepted.html']!;
  const task = fixture.task;
  const requester = `mturk:${task.requesterId}`;
  const accepted = Date.now() - 5 * DAY;
  // Done days ago from this browser: accepted, submitted 20 minutes later, approved 2 days after.
  await seedWorkLog(background, [
    {
      ...entry(requester, task.requesterName, task.groupId, task.title, 5),
      id: `${requester}|${task.groupId}|${task.assignmentId}`,
      assignmentId: task.assignmentId,
      acceptedAt: accepted,
      submittedAt: accepted + 20 * 60_000,
      outcome: 'approved',
      decidedAt: accepted + 20 * 60_000 + 2 * DAY,
    },
  ]);
  await serveFixture(context, `${new URL(fixture.url).origin}/**`, 'mturk-task-accepted.html');
  const page = await context.newPage();
  await page.goto(fixture.url);
  await expect(page.locator('lantern-badge[data-lantern-level]').first()).toBeVisible();
  const tabId = await background.evaluate(
    async () => (await (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number }[]> } } }).chrome.tabs.query({ url: 'https://worker.mturk.com/*' }))[0]!.id!,
  );
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionIdOf(background)}/popup.html?tab=${tabId}`);
  // A platform page is open: its requester leads, the suspension report follows.
  await expect(popup.locator('main > section').first()).toHaveAttribute('data-view', 'on-page');
  await popup.locator(`article[data-requester="${requester}"]`).getByRole('button', { name: 'Write a review' }).click();
  const form = popup.locator('form[data-form="review"]');
  await expect(form.getByLabel('Task ID')).toHaveValue(task.groupId);
  await expect(form.getByLabel('Minutes worked')).toHaveValue('20');
  await expect(form).toContainText('From your work log: from accepting to submitting this task.');
  await expect(form.getByLabel('Outcome')).toHaveValue('approved');
  await expect(form.getByLabel('Days until decided')).toHaveValue('2');
});

test('opened from a requester\'s card with none of its tasks in the work log, the report names the requester itself', async ({ context, background }) => {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionIdOf(background)}/popup.html?form=suspension&requester=${encodeURIComponent(BETA)}`);
  const form = popup.locator('form[data-form="suspension"]');
  await expect(form.locator('[data-field="picker-empty"]')).toContainText('Your work log has no tasks from the last 30 days.');
  await expect(form.locator(`[data-list="named-requesters"] [data-requester="${BETA}"]`)).toBeVisible();
  await expect(form.locator('[data-field="report-summary"]')).toHaveText('0 tasks from 1 requester will be reported.');
  // Removing it leaves nothing to report: refused in words, nothing queued.
  await form.locator(`[data-list="named-requesters"] [data-requester="${BETA}"]`).getByRole('button').click();
  await form.getByRole('button', { name: 'Send report' }).click();
  await expect(form.locator('[data-role="form-error"]')).toHaveText('Tasks: pick at least one task or name a requester');
});

test('a refused report queued by an older release (one requester at the top) comes back for editing in "My reports", and is re-sent in the per-task shape', async ({ context, background }) => {
  const refusedId = '00000000-0000-4000-8000-0000000000aa';
  await putRows(background, 'outbox', [
    {
      id: refusedId,
      submission: {
        kind: 'suspension',
        payload: {
          requester: ACME,
          requesterName: 'Acme Labs',
          tasks: [{ taskId: 'ACMETASK0000000000000000000001', taskTitle: 'Shopping survey' }],
          requesters: [],
          suspendedOn: '2026-11-25',
          reinstated: false,
          note: 'Call me at 555-0100',
        },
      },
      createdAt: Date.now(),
      attempts: 1,
      state: 'rejected',
      lastError: 'must not contain phone numbers',
      errorField: 'note',
      nextAttemptAt: 0,
    },
  ]);
  const popup = await openPopup(await context.newPage(), background);
  await expect(popup.locator('[data-view="outbox"] li')).toContainText('Suspension report: Acme Labs (1 task, 1 requester)');
  await popup.getByRole('button', { name: 'My reports' }).click();
  const pending = popup.locator('[data-list="pending-reports"] > li');
  await expect(pending).toHaveCount(1);
  await expect(pending).toContainText('The server refused this: Note: must not contain phone numbers.');
  await pending.getByRole('button', { name: 'Edit' }).click();

  const form = popup.locator('form[data-form="suspension"]');
  const ticked = form.locator(`fieldset[data-requester="${ACME}"]`).getByRole('checkbox', { name: /Shopping survey/ });
  await expect(ticked).toBeChecked();
  await expect(form.getByLabel('Date your account was suspended')).toHaveValue('2026-11-25');
  await expect(form.getByLabel('Note (only moderators see it)')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Note (only moderators see it)').fill('');
  await form.getByRole('button', { name: 'Send report' }).click();
  await expect(popup.getByRole('status').first()).toHaveText('Queued — will be sent when the server is reachable.');

  const outbox = await allRows<{ id: string; submission: { kind: string; payload: unknown } }>(background, 'outbox');
  // The refused item was replaced, and the task now carries its own requester.
  expect(outbox).toHaveLength(1);
  expect(outbox[0]!.id).not.toBe(refusedId);
  expect(outbox[0]!.submission.payload).toMatchObject({
    tasks: [{ requester: ACME, requesterName: 'Acme Labs', taskId: 'ACMETASK0000000000000000000001', taskTitle: 'Shopping survey' }],
    requesters: [],
    suspendedOn: '2026-11-25',
    note: '',
  });
});
