/**
 * The browser-only work log, end to end in Chromium: what each page type's adapter reads
 * of the worker's own work (the adapters bundled as they are, run on the fixture pages),
 * what the extension records while the worker browses the task page, queue and status
 * details, that React re-renders send nothing again, the options page's table, search,
 * export and clear — and that no request carries anything of the log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { build } from 'esbuild';
import type { BrowserContext, Page, Request, Worker } from '@playwright/test';
import type { WorkLogEntry, WorkObservation } from '../src/core/work-log.js';
import { artifactPath, expect, extensionIdOf, extensionPage, FIXTURES_DIR, sendUi, serveFixture, test } from './harness.js';

interface Item {
  id: string;
  assignmentId?: string;
  groupId?: string;
  requesterId: string;
  requesterName: string;
  title: string;
  reward: number;
  state?: string;
}
interface PagesFixture {
  url: string;
  workerId?: string;
  items: Item[];
  task: { groupId: string; assignmentId: string | null; title: string; reward: number; requesterId: string; requesterName: string } | null;
}
const PAGES = JSON.parse(readFileSync(join(FIXTURES_DIR, 'pages-fixtures.json'), 'utf8')) as {
  prolificApi: { url: string; file: string };
  fixtures: Record<string, PagesFixture>;
};
const LISTS = JSON.parse(readFileSync(join(FIXTURES_DIR, 'mturk-fixtures.json'), 'utf8')) as { fixtures: Record<string, { url: string }> };
const fixture = (name: string) => (PAGES.fixtures[name] ?? { items: [], task: null, ...LISTS.fixtures[name]! }) as PagesFixture;
const PREVIEW = fixture('mturk-task-preview.html');
const ACCEPTED = fixture('mturk-task-accepted.html');
const QUEUE = fixture('mturk-queue.html');
const STATUS = fixture('mturk-status-details.html');
const OUTCOMES: Record<string, string> = { Paid: 'approved', Approved: 'approved', Rejected: 'rejected', Submitted: 'pending' };

async function open(context: BrowserContext, name: string): Promise<Page> {
  await serveFixture(context, `${new URL(fixture(name).url).origin}/**`, name);
  const page = await context.newPage();
  await page.goto(fixture(name).url);
  return page;
}

async function routeProlificApi(context: BrowserContext) {
  const body = readFileSync(join(FIXTURES_DIR, PAGES.prolificApi.file), 'utf8');
  await context.route(PAGES.prolificApi.url, (route) => route.fulfill({ status: 200, contentType: 'application/json', body, headers: { 'access-control-allow-origin': '*' } }));
}

interface Stats {
  messages: number;
  observations: number;
}
const stats = (background: Worker) => background.evaluate(() => (globalThis as unknown as { lanternWorkLog: { stats: Stats } }).lanternWorkLog.stats);

async function log(ui: Page, query: Record<string, unknown> = {}) {
  return sendUi<{ entries: WorkLogEntry[]; total: number }>(ui, 'ui/work-log-query', { limit: 500, ...query });
}

/**
 * The fixtures' clock is fixed in 2025 (queue acceptances, status dates): with the default
 * 120 days, retention would rightly drop those entries the moment they are written.
 */
async function keepForYears(ui: Page) {
  await sendUi(ui, 'ui/settings-set', { workLog: { enabled: true, retentionDays: 3650 } });
}

/** Changes what a page's React mount says, then makes a change the content script notices. */
async function changeProps(page: Page, selector: string, change: string) {
  await page.evaluate(
    ([sel, body]) => {
      const mount = document.querySelector(sel)!;
      const props = JSON.parse(mount.getAttribute('data-react-props')!) as unknown;
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      const next = new Function('props', body)(props) as unknown;
      mount.setAttribute('data-react-props', JSON.stringify(next));
      document.body.append(document.createElement('div'));
    },
    [selector, change] as const,
  );
}

/**
 * Re-renders the page (the fixture's React stand-ins), then changes the mount's props so
 * that exactly one new sighting appears: once it has arrived, everything the re-renders
 * caused has too (one tab, one port, in order), and it must be the only thing sent.
 */
async function rerendersSendNothing(page: Page, background: Worker, rerenders: ('rerender' | 'remount')[], mount: string, change: string) {
  const before = await stats(background);
  for (const how of rerenders) await page.evaluate((name) => (window as unknown as { __fixture: Record<string, () => void> }).__fixture[name]!(), how);
  await changeProps(page, mount, change);
  await expect.poll(async () => (await stats(background)).observations).toBeGreaterThan(before.observations);
  expect(await stats(background)).toEqual({ messages: before.messages + 1, observations: before.observations + 1 });
}

test.describe('adapters read the worker\'s own work', () => {
  let bundle = '';
  test.beforeAll(async () => {
    const out = await build({ entryPoints: [join(FIXTURES_DIR, '..', '..', 'src', 'platforms', 'index.ts')], bundle: true, format: 'iife', globalName: '__platforms', write: false });
    bundle = out.outputFiles[0]!.text;
  });
  async function work(page: Page): Promise<WorkObservation[]> {
    await page.addScriptTag({ content: bundle });
    return page.evaluate(() => {
      const { adapterFor } = (globalThis as unknown as { __platforms: typeof import('../src/platforms/index.js') }).__platforms;
      const url = new URL(location.href);
      return adapterFor(url)!.work!(document, url);
    });
  }

  test('task pages: previewed, and accepted with its assignment', async ({ context }) => {
    const task = PREVIEW.task!;
    const common = { requester: `mturk:${task.requesterId}`, requesterName: task.requesterName, taskId: task.groupId, taskTitle: task.title, reward: { cents: 150, currency: 'USD' }, at: null, outcome: null };
    expect(await work(await open(context, 'mturk-task-preview.html'))).toEqual([{ ...common, assignmentId: null, event: 'previewed' }]);
    expect(await work(await open(context, 'mturk-task-accepted.html'))).toEqual([{ ...common, assignmentId: ACCEPTED.task!.assignmentId, event: 'accepted' }]);
  });

  test('queue: every row accepted, with its assignment and acceptance time', async ({ context }) => {
    const seen = await work(await open(context, 'mturk-queue.html'));
    const { WorkObservation } = await import('../src/core/work-log.js');
    for (const o of seen) expect(WorkObservation.safeParse(o).error?.issues ?? []).toEqual([]);
    expect(seen.map((o) => [o.requester, o.taskId, o.assignmentId, o.event])).toEqual(QUEUE.items.map((i) => [`mturk:${i.requesterId}`, i.groupId, i.assignmentId, 'accepted']));
    expect(seen.every((o) => typeof o.at === 'number' && o.reward?.currency === 'USD')).toBe(true);
  });

  test('status details: every row with its outcome, its task group and the page\'s date', async ({ context }) => {
    const seen = await work(await open(context, 'mturk-status-details.html'));
    expect(seen.map((o) => [o.requester, o.assignmentId, o.outcome, o.event])).toEqual(STATUS.items.map((i) => [`mturk:${i.requesterId}`, i.assignmentId, OUTCOMES[i.state!], 'status']));
    // The group comes from the contact link, never the HIT id; the date from the URL.
    expect(seen.every((o, n) => /^3[0-9A-Z]{29}$/.test(o.taskId) && o.taskId !== STATUS.items[n]!.id)).toBe(true);
    expect(new Set(seen.map((o) => o.at))).toEqual(new Set([Date.UTC(2025, 5, 1, 12)]));
    expect(seen.find((o) => o.requesterName.includes('<b>'))?.requesterName).toBe('<b>Bold</b> Data & Annotation');
  });

  test('Prolific study page: previewed; task lists, the dashboard and the studies list: nothing', async ({ context }) => {
    await routeProlificApi(context);
    const study = await open(context, 'prolific-study.html');
    await study.locator('[data-testid="host"]').waitFor();
    const [seen, ...more] = await work(study);
    expect(more).toEqual([]);
    expect(seen).toMatchObject({ taskId: fixture('prolific-study.html').task!.groupId, event: 'previewed', assignmentId: null, reward: { cents: 225, currency: 'GBP' } });
    for (const name of ['mturk-home.html', 'mturk-dashboard.html', 'prolific-studies.html']) {
      const page = await open(context, name);
      expect(await work(page)).toEqual([]);
      // The worker's own id, which looks like a requester's, is never read.
      expect(JSON.stringify(await work(page))).not.toContain('A3WORKERID0OWN7');
    }
  });
});

test('browsing fills the log once; re-renders add nothing; no request carries any of it', async ({ context, background }) => {
  const requests: Request[] = [];
  context.on('request', (r) => requests.push(r));
  const ui = await extensionPage(context, background);
  await keepForYears(ui);
  const group = PREVIEW.task!.groupId;

  // The preview, then the same task accepted: one entry, the preview folded into the assignment.
  const preview = await open(context, 'mturk-task-preview.html');
  await expect.poll(async () => (await log(ui)).total).toBe(1);
  // Its sighting arrived (the task-seen message of the page's start alone also makes the entry).
  await expect.poll(async () => (await stats(background)).observations).toBe(1);
  expect((await log(ui)).entries[0]).toMatchObject({ taskId: group, assignmentId: null, acceptedAt: null });
  // Two re-renders send nothing; the changed title is the one new sighting.
  await rerendersSendNothing(preview, background, ['rerender', 'rerender'], '[data-react-class*="ShowModal"]', 'props.modalOptions.projectTitle = "Sentinel"; return props;');
  await expect.poll(async () => (await log(ui)).entries[0]?.taskTitle).toBe('Sentinel');

  await open(context, 'mturk-task-accepted.html');
  await expect.poll(async () => (await log(ui, { search: group })).entries.map((e) => e.assignmentId)).toEqual([ACCEPTED.task!.assignmentId]);
  const [accepted] = (await log(ui, { search: group })).entries;
  expect(accepted!.acceptedAt).not.toBeNull();
  expect(accepted!.firstSeenAt).toBeLessThanOrEqual(accepted!.acceptedAt!);

  // The queue: five accepted tasks, one of them the task just accepted (the same entry, its
  // acceptance now the queue's earlier time); re-rendered and remounted, nothing is sent again.
  expect(QUEUE.items.filter((i) => i.assignmentId === ACCEPTED.task!.assignmentId)).toHaveLength(1);
  const queue = await open(context, 'mturk-queue.html');
  await expect.poll(async () => (await log(ui)).total).toBe(QUEUE.items.length);
  await expect.poll(async () => (await log(ui, { search: group })).entries[0]?.acceptedAt).toBeLessThan(accepted!.acceptedAt!);
  const sentinelRow = 'const row = JSON.parse(JSON.stringify(props.bodyData[0])); row.assignment_id = "3SENTINEL0ASSIGNMENT000000000"; props.bodyData.push(row); return props;';
  await rerendersSendNothing(queue, background, ['rerender', 'remount'], '[data-react-class*="TaskQueueTable"]', sentinelRow);
  await expect.poll(async () => (await log(ui)).total).toBe(1 + QUEUE.items.length);

  // Status details: eight submitted tasks with their outcomes.
  await open(context, 'mturk-status-details.html');
  await expect.poll(async () => (await log(ui)).total).toBe(1 + QUEUE.items.length + STATUS.items.length);
  const { entries } = await log(ui);
  for (const item of STATUS.items) {
    const entry = entries.find((e) => e.assignmentId === item.assignmentId)!;
    expect(entry).toMatchObject({ requester: `mturk:${item.requesterId}`, outcome: OUTCOMES[item.state!], submittedAt: Date.UTC(2025, 5, 1, 12) });
    expect(entry.decidedAt !== null).toBe(OUTCOMES[item.state!] !== 'pending');
  }
  // Decided and not yet reviewed: what the popup offers to review, one per task group.
  const reviewable = await sendUi<{ entries: WorkLogEntry[] }>(ui, 'ui/reviewable-tasks');
  expect(reviewable.entries.map((e) => e.assignmentId).sort()).toEqual(STATUS.items.filter((i) => OUTCOMES[i.state!] !== 'pending').map((i) => i.assignmentId).sort());
  // The review form's prefill and the old recent-task answer come from the same log.
  expect((await sendUi<{ entry: WorkLogEntry | null }>(ui, 'ui/work-log-task', { requester: accepted!.requester, taskId: group })).entry?.assignmentId).toBe(ACCEPTED.task!.assignmentId);

  // Nothing but the pages themselves was requested: no server is set, and the log went nowhere.
  const visited = new Set([PREVIEW.url, ACCEPTED.url, QUEUE.url, STATUS.url]);
  const web = requests.filter((r) => /^https?:/.test(r.url()));
  expect(web.filter((r) => !visited.has(r.url()) || r.method() !== 'GET' || r.postData() !== null).map((r) => `${r.method()} ${r.url()}`)).toEqual([]);
});

test('submitting and returning on the task page are noted as they go; a cancelled one is not', async ({ context, background }) => {
  const ui = await extensionPage(context, background);
  const group = ACCEPTED.task!.groupId;
  const entry = async () => (await log(ui, { search: group })).entries;
  // The assignment's own entry: each reload of the task page (the Return posts back to it)
  // may note a new sighting of the group beside it, so "the newest entry" is not it.
  const assigned = async () => (await entry()).filter((e) => e.assignmentId === ACCEPTED.task!.assignmentId);
  const page = await open(context, 'mturk-task-accepted.html');
  await expect.poll(async () => (await entry()).map((e) => e.assignmentId)).toEqual([ACCEPTED.task!.assignmentId]);
  // The fixture cancels every submission: a Return the page cancelled did not happen.
  await page.locator('form.return-form button').click();
  await expect(page.locator('body')).toHaveAttribute('data-returned', 'true');
  // Let Submit go through as on the real site (the fixture's cancelling listener never hears it).
  await page.evaluate(() => window.addEventListener('submit', (e) => e.stopPropagation(), true));
  await Promise.all([page.waitForURL(/\/submit\?/), page.locator('form.task-submit-form button').click()]);
  await expect.poll(async () => (await assigned())[0]?.submittedAt ?? null).not.toBeNull();
  expect(await assigned()).toEqual([expect.objectContaining({ returnedAt: null, outcome: null })]);

  await page.goto(ACCEPTED.url);
  await page.evaluate(() => window.addEventListener('submit', (e) => e.stopPropagation(), true));
  await Promise.all([page.waitForRequest((r) => r.method() === 'POST' && r.url() === ACCEPTED.url), page.locator('form.return-form button').click()]);
  await expect.poll(async () => (await assigned())[0]?.returnedAt ?? null).not.toBeNull();
  expect(await assigned()).toEqual([expect.objectContaining({ outcome: 'returned' })]);
});

test('options page: the log listed, searched, exported as CSV and JSON, cleared; switched off it records nothing', async ({ context, background }) => {
  const ui = await extensionPage(context, background);
  await keepForYears(ui);
  await open(context, 'mturk-status-details.html');
  await expect.poll(async () => (await log(ui)).total).toBe(STATUS.items.length);

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionIdOf(background)}/options.html`);
  await options.locator('details[data-group="more"] > summary').click(); // blocklist, alerts, work log… wait under "More settings"
  const section = options.locator('section[data-section="work-log"]');
  await expect(section.getByText('Kept only in this browser, never sent.')).toBeVisible();
  const rows = section.locator('table[data-table="work-log"] tbody tr');
  await expect(rows).toHaveCount(STATUS.items.length);
  await expect(section.getByRole('columnheader', { name: 'Outcome' })).toBeVisible();
  await section.getByLabel('Search the work log').fill("o'brien");
  await expect(rows).toHaveCount(STATUS.items.filter((i) => i.requesterName.startsWith("O'Brien")).length);
  await expect(rows.first()).toContainText('O\'Brien "Quick" Surveys');
  await section.screenshot({ path: artifactPath('options-work-log.png') });
  const axe = await new AxeBuilder({ page: options }).include('section[data-section="work-log"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // Reachable from the keyboard: search, the table (it scrolls sideways), then the exports.
  await section.getByLabel('Search the work log').focus();
  await options.keyboard.press('Tab');
  await expect(section.getByRole('region', { name: 'Tasks in the work log' })).toBeFocused();
  await options.keyboard.press('Tab');
  await expect(section.getByRole('button', { name: 'Export as CSV' })).toBeFocused();
  await section.getByLabel('Search the work log').fill('');
  await expect(rows).toHaveCount(STATUS.items.length);

  const [csv] = await Promise.all([options.waitForEvent('download'), section.getByRole('button', { name: 'Export as CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^lantern-work-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const csvText = readFileSync((await csv.path())!, 'utf8');
  const lines = csvText.trimEnd().split('\r\n');
  expect(lines[0]).toBe('requester,requester_name,task_id,assignment_id,task_title,reward,currency,first_seen_at,accepted_at,submitted_at,returned_at,outcome,decided_at,last_at,reviewed');
  expect(lines).toHaveLength(1 + STATUS.items.length);
  expect(csvText).toContain('"O\'Brien ""Quick"" Surveys"');

  const [json] = await Promise.all([options.waitForEvent('download'), section.getByRole('button', { name: 'Export as JSON' }).click()]);
  const exported = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { exportedAt: string; entries: WorkLogEntry[] };
  expect(exported.entries.map((e) => e.assignmentId).sort()).toEqual(STATUS.items.map((i) => i.assignmentId).sort());
  expect(Object.keys(exported).sort()).toEqual(['entries', 'exportedAt']);

  // Retention is checked before it is saved.
  const days = section.getByLabel('Keep tasks for (days)');
  await days.fill('0');
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(days).toHaveAttribute('aria-invalid', 'true');
  await days.fill('30');
  await section.getByRole('button', { name: 'Save' }).click();
  await expect.poll(async () => (await sendUi<{ workLog: { retentionDays: number } }>(ui, 'ui/settings-get')).workLog.retentionDays).toBe(30);
  // Pending tasks' latest activity is the fixture's 2025 date: gone at once. Decided ones
  // were decided (seen decided) today and stay.
  await expect(rows).toHaveCount(STATUS.items.filter((i) => OUTCOMES[i.state!] !== 'pending').length);
  expect((await log(ui)).entries.every((e) => e.outcome !== 'pending')).toBe(true);

  await section.getByRole('button', { name: 'Clear the work log' }).click();
  await section.getByRole('button', { name: 'Yes, clear it' }).click();
  await expect(section.getByText('The work log is empty.')).toBeVisible();
  expect((await log(ui)).total).toBe(0);

  // Switched off: the page's sightings still arrive, and nothing is kept.
  await section.getByLabel('Keep a work log').uncheck();
  await expect.poll(async () => (await sendUi<{ workLog: { enabled: boolean } }>(ui, 'ui/settings-get')).workLog.enabled).toBe(false);
  const before = await stats(background);
  await open(context, 'mturk-queue.html');
  await expect.poll(async () => (await stats(background)).messages).toBeGreaterThan(before.messages);
  expect((await log(ui)).total).toBe(0);
});

// How fast matching reads the log (1,000 suspect groups against 50,000 entries in Chromium) is
// `npm run bench:warning`'s business: a benchmark compares against a plain scan in the same run.
