/**
 * "How Lantern decides" (issue 12, item 4): the page says the rules in force — the
 * built-in version before any sync, the server's published version after one — and the
 * detail card shows issue counts in words and opens the page.
 */
import { createHash, randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { createAccount } from './api-client.js';
import { artifactPath, expect, extensionIdOf, extensionPage, seedReplica, sendUi, serveFixture, test } from './harness.js';
import { startTestServer, type TestServer } from './server.js';
import { summaryFor } from './summaries.js';
import { DEFAULT_RULES } from '../src/core/rules.js';
import { runModeratorCommand } from '../src/server/moderation/roles-cli.js';

test.use({ actionTimeout: 15_000 });
// Two browser pages, a real server and axe: roomy on a loaded machine.
test.setTimeout(120_000);

let server: TestServer;
test.beforeEach(async () => {
  server = await startTestServer();
});
test.afterEach(async () => {
  await server.stop();
});

/** The role command's own code (scripts/moderator.ts), in this process: a maintainer's grant, without a second Node start-up. */
async function grantAdmin(database: string, secret: string): Promise<void> {
  const reference = createHash('sha256').update(secret).digest('hex');
  const errors: string[] = [];
  const code = await runModeratorCommand(['grant', '--role', 'admin', '--account', reference, '--name', 'rules-admin', '--database', database], { out: () => undefined, err: (line) => errors.push(line) });
  expect(code, errors.join('\n')).toBe(0);
}

test('the rules page shows the rules in force: built-in before a sync, the server\'s newly published version after', async ({ context, background }) => {
  const rulesUrl = `chrome-extension://${extensionIdOf(background)}/rules.html`;
  const page = await context.newPage();
  await page.goto(rulesUrl);
  // Never synced: version 1's built-in values, said to be built in.
  await expect(page.locator('[data-field="rules-version"]')).toContainText("Lantern's built-in rules, version 1");
  await expect(page.locator('[data-field="danger-suspensions"]')).toContainText('at least 3 established accounts reported');
  await expect(page.locator('[data-field="danger-suspensions"]')).toContainText('within the last 60 days');
  await expect(page.locator('[data-field="min-sample"]')).toContainText('at least 3 tasks');

  // An admin publishes version 2 on the real server through the moderation API.
  const admin = await createAccount(server.url);
  await grantAdmin(server.database, admin);
  const { version: _drop, ...base } = DEFAULT_RULES;
  const next = {
    ...base,
    tooFewBelow: 8,
    recentDays: 30,
    danger: { ...base.danger, suspensionAccounts: 5, suspensionWindowDays: 45, establishedAfterDays: 1 },
    caution: { rejectionShare: 0.2, minSample: 1 },
    moderation: { flagsToHold: 2, brigade: { youngAccountDays: 3, windowHours: 12, accounts: 4 } },
    incidents: { ...base.incidents, windowDays: 21, openAccounts: 4, investigateAccounts: 6, noteRetentionDays: 10 },
  };
  const response = await fetch(`${server.url}/v1/moderation/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify({ rules: next, reason: 'Stricter danger, shorter recent window' }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(await response.json()).toEqual({ version: 2 });

  // The worker points Lantern at the server; the sync brings version 2.
  const ui = await extensionPage(context, background);
  await sendUi(ui, 'ui/settings-set', { serverUrl: server.url });
  await expect.poll(async () => (await sendUi<{ rules: { version: number }; fromServer: boolean }>(ui, 'ui/rules')).rules.version).toBe(2);

  await page.reload();
  await expect(page.locator('[data-field="rules-version"]')).toContainText('version 2, published by your Lantern server');
  await expect(page.locator('[data-field="danger-suspensions"]')).toContainText('at least 5 established accounts reported');
  await expect(page.locator('[data-field="danger-suspensions"]')).toContainText('within the last 45 days');
  await expect(page.locator('[data-field="caution-rejections"]')).toContainText('20%');
  await expect(page.locator('[data-field="min-sample"]')).toContainText('at least 1 task.');
  await expect(page.locator('[data-field="too-few"]')).toContainText('fewer than 8 reviews');
  await expect(page.locator('[data-field="recent"]')).toContainText('the last 30 days');
  await expect(page.locator('[data-field="flags-to-hold"]')).toContainText('2 accounts flagged it');
  await expect(page.locator('[data-field="brigade"]')).toContainText('4 accounts younger than 3 days arrive within 12 hours');
  await expect(page.locator('[data-field="established"]')).toContainText('at least 1 day old');
  await expect(page.locator('[data-field="incident-window"]')).toContainText('within 21 days');
  await expect(page.locator('[data-field="incident-open"]')).toContainText('When 4 established accounts');
  await expect(page.locator('[data-field="incident-investigate"]')).toContainText('When 6 established accounts');
  await expect(page.locator('[data-field="incident-notes"]')).toContainText('deleted 10 days after');
  // The worker's own pay threshold, in the caution rule.
  await expect(page.locator('[data-field="caution-pay"]')).toContainText('$7.25 per hour in USD');

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: artifactPath('rules-page.png'), fullPage: true });
});

test('the detail card shows issue counts with their meaning and opens the rules page', async ({ context, background }) => {
  const key = 'mturk:A1X9QZT4MK0B2W';
  const summary = summaryFor(key, 'Issue Labs', 'ok');
  summary.issues = { broken: 2, unpaid_screener: 1, personal_data: 0, phishing: 0 };
  await seedReplica(background, [summary]);

  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
  const page = await context.newPage();
  await page.goto('https://worker.mturk.com/');
  const badge = page.locator(`lantern-badge[data-lantern-requester="${key}"]`).first();
  await expect(badge).toHaveAttribute('data-lantern-level', /.+/);
  await badge.getByRole('button').click();
  const card = page.locator('lantern-card').getByRole('dialog');
  const issues = card.locator('[data-list="issues"]');
  await expect(issues.locator('li')).toHaveCount(2);
  await expect(issues.locator('[data-issue="broken"]')).toContainText('Broken task: 2 accounts');
  await expect(issues.locator('[data-issue="broken"]')).toContainText("The task didn't work");
  await expect(issues.locator('[data-issue="unpaid_screener"]')).toContainText('Unpaid screener: 1 account');
  await expect(issues.locator('[data-issue="personal_data"]')).toHaveCount(0);

  await page.locator('lantern-card').screenshot({ path: artifactPath('card-issues.png') });

  const rulesTab = context.waitForEvent('page', (p) => p.url().endsWith('/rules.html'));
  await card.getByRole('button', { name: 'How Lantern decides' }).click();
  const rules = await rulesTab;
  await expect(rules.getByRole('heading', { level: 1 })).toHaveText('How Lantern decides');
  await expect(rules.locator('[data-field="danger-suspensions"]')).toContainText('at least 3 established accounts');
  await rules.close();

  // The popup's requester card, for the same tab, links to the same page.
  type Tabs = { tabs: { query(q: { url: string }): Promise<{ id?: number }[]> } };
  const tabId = await background.evaluate(async () => (await (globalThis as unknown as { chrome: Tabs }).chrome.tabs.query({ url: 'https://worker.mturk.com/*' }))[0]!.id!);
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionIdOf(background)}/popup.html?tab=${tabId}`);
  const requesterCard = popup.locator(`article[data-requester="${key}"]`);
  await expect(requesterCard.getByRole('link', { name: 'How Lantern decides' })).toHaveAttribute('href', 'rules.html');
});
