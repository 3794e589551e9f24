/**
 * Moderation end to end, in real Chromium against the real server: established workers'
 * suspension reports open an incident, which leads /moderate and a moderator confirms it
 * there; the moderator hides a flagged review and confirms a suspension link; the worker's
 * extension (another profile) follows at its next sync — the badge's review count drops,
 * the author's popup shows the reason, the requester turns to danger. Screenshots of every
 * queue, the incidents, the correlation view and the audit log go to artifacts/.
 */
import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { startServer, type RunningServer } from '../src/server/index.js';
import { createAccount, ownReviews, postReview, review } from './api-client.js';
import { artifactPath, expect, extensionPage, sendUi, serveFixture, test } from './harness.js';

const HOME = 'https://worker.mturk.com/';
/** Requesters on the home fixture (see e2e/fixtures/mturk-fixtures.json). */
const MULLER = { key: 'mturk:APA5QKHYESAA', name: 'Müller & Søn' };
const PINNACLE = { key: 'mturk:A1Y7GHB2KXT0RQ', name: 'Pinnacle Transcription, LLC' };
const BRIGADED = { key: 'mturk:A3BRIGADE00001', name: 'Quick Ratings Co' };
const PHISHY = { key: 'mturk:A2PHISH0000001', name: 'Account Verification Team' };

interface Db {
  file: string;
  server: RunningServer;
}

async function startDbServer(): Promise<Db> {
  const file = join(mkdtempSync(join(tmpdir(), 'lantern-moderation-e2e-')), 'lantern.sqlite');
  const server = await startServer({ host: '127.0.0.1', port: 0, database: file, logLevel: 'warn', rateLimits: false, snapshotMaxAgeMs: 0, advisedWaitSeconds: 30 });
  return { file, server };
}

/** Accounts made `days` ago: established (the rules' 7 days) when they report. */
function age(database: string, secrets: string[], days: number): void {
  const db = new Database(database);
  try {
    const update = db.prepare('UPDATE accounts SET created_at = ? WHERE secret_hash = ?');
    for (const secret of secrets) update.run(Date.now() - days * 86_400_000, createHash('sha256').update(secret).digest('hex'));
  } finally {
    db.close();
  }
}

/** axe (WCAG 2 AA, contrast included) on the page as it is now: rule → offending elements. */
async function axeViolations(page: Page): Promise<{ rule: string; nodes: string[] }[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
}

/** The real role command, as a maintainer runs it on the server machine. */
function grant(database: string, secret: string, role: 'moderator' | 'admin', name: string): void {
  const reference = createHash('sha256').update(secret).digest('hex');
  execFileSync('npx', ['tsx', 'scripts/moderator.ts', 'grant', '--role', role, '--account', reference, '--name', name, '--database', database], { stdio: 'pipe' });
}

async function post(server: string, secret: string, path: string, body: unknown): Promise<any> {
  const response = await fetch(`${server}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function signIn(page: Page, server: string, secret: string, pseudonym: string): Promise<void> {
  await page.goto(`${server}/moderate`);
  await page.getByLabel('Account secret').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('[data-field="pseudonym"]')).toHaveText(pseudonym);
}

async function act(page: Page, item: ReturnType<Page['locator']>, label: string, reason: string, done: RegExp): Promise<void> {
  await item.getByRole('button', { name: label, exact: true }).click();
  const form = item.locator(`form[data-action="${label}"]`);
  await expect(form.getByLabel(/Reason/)).toBeFocused();
  await form.getByLabel(/Reason/).fill(reason);
  await form.getByRole('button', { name: `Confirm: ${label}` }).click();
  await expect(page.getByRole('status').first()).toHaveText(done);
}

test('a moderator hides a flagged review and confirms a suspension link; the worker sees both after the next sync', async ({ context, background }) => {
  const { file, server } = await startDbServer();
  const url = server.url;
  try {
    // The worker: the extension in this profile, with an account, writes a review of Müller.
    const worker = await extensionPage(context, background);
    await sendUi(worker, 'ui/settings-set', { serverUrl: url });
    await sendUi(worker, 'ui/account-create');
    const { recoveryCode } = await sendUi<{ recoveryCode: string }>(worker, 'ui/account-get');
    const sent = await sendUi<{ delivered: boolean }>(worker, 'ui/submit', {
      submission: { kind: 'review', payload: review(MULLER.key, MULLER.name, { text: 'The requester is a crook and a liar.' }) },
    });
    expect(sent.delivered).toBe(true);
    const [own] = (await ownReviews(url, recoveryCode)) as { id: string }[];

    // Other workers: a second review of Müller, a flag on the worker's review, suspension
    // reports naming the same Pinnacle task, a brigade, a phishing flag.
    await postReview(url, await createAccount(url), review(MULLER.key, MULLER.name, { taskId: 'OTHERTASK000000000000000000001', text: 'Paid as promised.' }));
    await post(url, await createAccount(url), '/v1/review-flags', { reviewId: own!.id, reason: 'insults', note: 'Calls the requester names' });
    // Three workers report (in the new shape: each task under its own requester), two of them
    // established (the third account is new: its report is listed but counts no account);
    // the first also names a task of Müller's.
    const reporters = [await createAccount(url), await createAccount(url), await createAccount(url)];
    age(file, reporters.slice(0, 2), 30);
    for (const [i, reporter] of reporters.entries()) {
      const tasks = [{ requester: PINNACLE.key, requesterName: PINNACLE.name, taskId: '3PINNACLETRANSCRIBE0000000001', taskTitle: 'Transcribe a 2-minute audio clip' }];
      if (i === 0) tasks.push({ requester: MULLER.key, requesterName: MULLER.name, taskId: '3MULLERLABEL000000000000003', taskTitle: 'Label receipts' });
      await post(url, reporter, '/v1/suspension-reports', {
        suspendedOn: '2026-06-01',
        tasks,
        note: i === 0 ? 'Suspended the morning after; two friends too.' : '',
      });
    }
    for (let i = 0; i < 3; i++) {
      await postReview(url, await createAccount(url), review(BRIGADED.key, BRIGADED.name, { taskId: `BRIGADETASK${i}`, ratings: { pay: 1, fairness: 1, speed: 1, communication: 1 }, text: 'Worst requester ever.' }));
    }
    await post(url, await createAccount(url), '/v1/requester-flags', { requester: PHISHY.key, requesterName: PHISHY.name, reason: 'phishing', note: 'Asks for the MTurk password in the survey.' });
    const flagged2 = await createAccount(url);
    await postReview(url, flagged2, review(PHISHY.key, PHISHY.name, { taskId: 'PHISHYTASK1', text: 'Great pay!!! Do all of them!!!' }));
    const [phishyReview] = (await ownReviews(url, flagged2)) as { id: string }[];
    await post(url, await createAccount(url), '/v1/review-flags', { reviewId: phishyReview!.id, reason: 'requester_self_review', note: 'Reads like the requester wrote it' });

    // The worker syncs and sees Müller with 2 reviews, Pinnacle not yet in danger.
    await sendUi(worker, 'ui/sync-now');
    await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
    const list = await context.newPage();
    await list.goto(HOME);
    const muller = list.locator(`lantern-badge[data-lantern-requester="${MULLER.key}"]`).first();
    const pinnacle = list.locator(`lantern-badge[data-lantern-requester="${PINNACLE.key}"]`).first();
    await expect(muller.getByRole('button')).toHaveAttribute('aria-label', /Based on 2 reviews/);
    await expect(pinnacle).not.toHaveAttribute('data-lantern-level', 'danger');

    // The moderator: role granted by the server command, signs in on /moderate.
    const modSecret = await createAccount(url);
    grant(file, modSecret, 'admin', 'mod-lantern');
    const mod = await context.newPage();
    await mod.setViewportSize({ width: 1280, height: 1000 });
    const pageErrors: Error[] = [];
    mod.on('pageerror', (e) => pageErrors.push(e));
    await signIn(mod, url, modSecret, 'mod-lantern');

    // Incidents lead the page: the shared Pinnacle task, in words; two accounts open an
    // incident, but workers are warned ("under investigation") only from three.
    const incidentsTab = mod.getByRole('tab', { name: /Incidents/ });
    await expect(incidentsTab).toHaveAttribute('aria-selected', 'true');
    await expect(incidentsTab).toContainText('1');
    const incident = mod.locator('[data-panel="incidents"] li[data-incident]').first();
    await expect(incident.locator('h3')).toHaveText(
      `2 established accounts reported a suspension after task “Transcribe a 2-minute audio clip” (3PINNACLETRANSCRIBE0000000001) of requester ${PINNACLE.name} (${PINNACLE.key}) within 14 days`,
    );
    await expect(incident.locator('[data-field="status"]')).toContainText('Open — waiting for a decision');
    await expect(incident.locator('[data-field="browsers"]')).toHaveText('Workers are not warned yet (below the threshold for "under investigation")');
    await expect(incident).toContainText('3 reports');
    await expect(incident).toContainText('first report');
    await mod.screenshot({ path: artifactPath('moderation-incidents.png'), fullPage: true });
    expect(await axeViolations(mod)).toEqual([]);
    // By keyboard only: Enter opens the form, the reason takes the focus, Tab reaches the submit button.
    await incident.getByRole('button', { name: 'Confirm incident', exact: true }).focus();
    await mod.keyboard.press('Enter');
    const reasonField = incident.locator('form[data-action="Confirm incident"]').getByLabel(/Reason/);
    await expect(reasonField).toBeFocused();
    await mod.keyboard.type('Two established workers, one transcription task, one week.');
    await mod.keyboard.press('Tab');
    await expect(incident.getByRole('button', { name: 'Confirm: Confirm incident' })).toBeFocused();
    await mod.keyboard.press('Enter');
    await expect(mod.getByRole('status').first()).toHaveText(/Incident confirmed/);
    await expect(incidentsTab).not.toContainText('1');
    await mod.getByRole('button', { name: 'Confirmed', exact: true }).click();
    const confirmed = mod.locator('[data-panel="incidents"] li[data-status="confirmed"]');
    await expect(confirmed).toHaveCount(1);
    await expect(confirmed.locator('[data-field="status"]')).toContainText('Confirmed by a moderator');
    await expect(confirmed.locator('[data-field="browsers"]')).toHaveText('Workers who did this task are warned: confirmed');
    await mod.screenshot({ path: artifactPath('moderation-incident-confirmed.png'), fullPage: true });

    const flaggedTab = mod.getByRole('tab', { name: /Flagged reviews/ });
    await flaggedTab.click();
    await expect(flaggedTab).toContainText('2');
    const item = mod.locator(`li[data-review="${own!.id}"]`);
    await expect(item).toContainText('The requester is a crook and a liar.');
    await expect(item).toContainText('insults ×1');
    await expect(item).toContainText('Müller & Søn');
    await mod.screenshot({ path: artifactPath('moderation-flagged.png'), fullPage: true });

    // A reason is required: an empty one is refused in the form, nothing is sent.
    await item.getByRole('button', { name: 'Hide review', exact: true }).click();
    await item.getByRole('button', { name: 'Confirm: Hide review' }).click();
    await expect(item.locator('form[data-action="Hide review"]')).toBeVisible();
    await item.getByRole('button', { name: 'Cancel' }).click();
    await act(mod, item, 'Hide review', 'Name-calling; keep reviews about the work.', /Review hidden/);
    await expect(mod.locator(`li[data-review="${own!.id}"]`)).toHaveCount(0);
    await expect(flaggedTab).toContainText('1');

    // Held reviews (the brigade) and the issue flags, for the record.
    await mod.getByRole('tab', { name: /Held reviews/ }).click();
    await expect(mod.locator('[data-panel="held"] li[data-review]')).toHaveCount(3);
    await expect(mod.locator('[data-panel="held"]')).toContainText('held: brigade');
    await mod.screenshot({ path: artifactPath('moderation-held.png'), fullPage: true });
    await mod.getByRole('tab', { name: /Requester issue flags/ }).click();
    await expect(mod.locator(`li[data-requester="${PHISHY.key}"]`)).toContainText('phishing ×1');
    await mod.screenshot({ path: artifactPath('moderation-issues.png'), fullPage: true });

    // The correlation view: 2 established accounts share the Pinnacle task; Müller's task,
    // picked in a report filed with Pinnacle's, counts under Müller (1 account: shown from 1).
    await mod.getByRole('tab', { name: /Correlation/ }).click();
    const row = mod.locator(`li[data-correlation="${PINNACLE.key} 3PINNACLETRANSCRIBE0000000001"]`);
    await expect(row).toContainText('2 established accounts reported a suspension after task “Transcribe a 2-minute audio clip”');
    await expect(row).toContainText('3 reports name it');
    await expect(row).toContainText('within 14 days');
    await expect(row.locator('[data-field="incident"]')).toBeVisible();
    await expect(mod.locator(`li[data-correlation="${MULLER.key} 3MULLERLABEL000000000000003"]`)).toHaveCount(0);
    await mod.getByLabel(/at least N accounts/).fill('1');
    await mod.getByLabel('Within the last').selectOption('30');
    await mod.getByRole('button', { name: 'Update' }).click();
    await expect(mod.locator(`li[data-correlation="${MULLER.key} 3MULLERLABEL000000000000003"]`)).toContainText(
      '1 established account reported a suspension after task “Label receipts”',
    );
    await expect(row).toContainText('within 30 days');
    await expect(mod.locator('ul.correlation > li').first()).toHaveAttribute('data-correlation', `${PINNACLE.key} 3PINNACLETRANSCRIBE0000000001`);
    await mod.screenshot({ path: artifactPath('moderation-correlation.png'), fullPage: true });
    expect(await axeViolations(mod)).toEqual([]);

    // Suspension reports grouped by requester; confirm the link.
    await mod.getByRole('tab', { name: /Suspension reports/ }).click();
    const group = mod.locator(`li[data-requester="${PINNACLE.key}"]`);
    await expect(group).toContainText('3 reports (3 open)');
    await group.getByRole('button', { name: 'Show reports' }).click();
    await expect(group.locator('tbody tr')).toHaveCount(3);
    await expect(group).toContainText('Suspended the morning after');
    await mod.screenshot({ path: artifactPath('moderation-suspensions.png'), fullPage: true });
    await act(mod, group, 'Confirm suspension link', 'Three workers suspended after the same transcription task.', /Suspension link confirmed/);

    // The audit log shows both actions, filterable.
    await mod.getByRole('tab', { name: /Audit log/ }).click();
    const audit = mod.locator('[data-panel="audit"] tbody tr');
    await expect(audit.first()).toContainText('confirm suspension');
    await expect(mod.locator('tr[data-audit="confirm_incident"]')).toContainText('Two established workers, one transcription task, one week.');
    await expect(mod.locator('tr[data-audit="open_incident"]')).toContainText('lantern');
    await expect(mod.locator('tr[data-audit="hide_review"]')).toContainText('Name-calling; keep reviews about the work.');
    await expect(mod.locator('tr[data-audit="hide_review"]')).toContainText('mod-lantern');
    await mod.getByLabel('Action').selectOption('hide_review');
    await expect(audit).toHaveCount(1);
    await mod.getByLabel('Action').selectOption('');
    await mod.screenshot({ path: artifactPath('moderation-audit.png'), fullPage: true });

    await mod.getByRole('tab', { name: /Rules/ }).click();
    await expect(mod.locator('#rules-check')).toHaveText('Valid rules.');
    await mod.getByLabel(/Rules \(JSON/).fill('{"tooFewBelow": 0}');
    await expect(mod.locator('#rules-check')).toContainText('Not valid');
    await expect(mod.getByRole('button', { name: 'Publish new rules version' })).toBeDisabled();
    expect(pageErrors).toEqual([]);

    // The worker's next sync: Müller counts one review, Pinnacle is danger, the popup shows the reason.
    await sendUi(worker, 'ui/sync-now');
    await list.reload();
    await expect(muller.getByRole('button')).toHaveAttribute('aria-label', /Based on 1 review\./);
    await expect(pinnacle).toHaveAttribute('data-lantern-level', 'danger');
    await expect(pinnacle.getByRole('button')).toHaveText(/Suspensions/);
    await list.screenshot({ path: artifactPath('moderation-worker-task-list.png') });
    await worker.reload();
    const mine = worker.locator(`[data-view="own-reviews"] li[data-review="${own!.id}"]`);
    await expect(mine).toHaveAttribute('data-status', 'hidden');
    await expect(mine).toContainText('Name-calling; keep reviews about the work.');
    await worker.screenshot({ path: artifactPath('moderation-author-popup.png'), fullPage: true });
  } finally {
    await server.close();
  }
});

test('the page stays responsive with 10,000 queued items: paged on the server, keyboard tabs', async ({ context }) => {
  const { file, server } = await startDbServer();
  try {
    const modSecret = await createAccount(server.url);
    grant(file, modSecret, 'moderator', 'mod-load');
    // Bulk seed straight into the database: 10,000 flagged reviews over 100 requesters.
    const db = new Database(file);
    const now = Date.now();
    // As the server stores a parsed review: defaults filled in.
    const body = JSON.stringify({ ...review('mturk:ASEED0000000', 'Seeded', { text: 'Seeded review for the load test.' }), bonusCents: 0, tags: [] });
    db.transaction(() => {
      db.prepare(`INSERT INTO accounts (id, secret_hash, created_at) VALUES ('seed-author', 'x1', ?), ('seed-flagger', 'x2', ?)`).run(now, now);
      const requester = db.prepare(`INSERT INTO requesters (key, name, bucket, seq, row_json, row_digest, updated_at) VALUES (?, ?, ?, 0, '', 0, ?)`);
      for (let i = 0; i < 100; i++) requester.run(`mturk:ASEED${1000000 + i}`, `Seeded requester ${i}`, 'ffffffff', now);
      const insertReview = db.prepare(
        `INSERT INTO reviews (id, account_id, requester_key, task_id, author_pseudonym, body_json, created_at, author_young, status) VALUES (?, 'seed-author', ?, ?, 'pseudo', ?, ?, 0, 'visible')`,
      );
      const insertFlag = db.prepare(`INSERT INTO review_flags (id, review_id, account_id, reason, note, created_at) VALUES (?, ?, 'seed-flagger', 'inconsistent', '', ?)`);
      for (let i = 0; i < 10_000; i++) {
        insertReview.run(`seed${i}`, `mturk:ASEED${1000000 + (i % 100)}`, `T${i}`, body, now + i);
        insertFlag.run(`flag${i}`, `seed${i}`, now + i);
      }
    })();
    db.close();

    const mod = await context.newPage();
    const started = Date.now();
    await signIn(mod, server.url, modSecret, 'mod-load');
    await mod.getByRole('tab', { name: /Flagged reviews/ }).click();
    await expect(mod.locator('[data-field="page-info"]').first()).toHaveText('Page 1 of 200 (10,000 items)');
    const firstPage = Date.now() - started;
    await expect(mod.locator('[data-panel="flagged"] li[data-review]')).toHaveCount(50);
    const next = Date.now();
    await mod.getByRole('button', { name: 'Next' }).first().click();
    await expect(mod.locator('[data-field="page-info"]').first()).toHaveText('Page 2 of 200 (10,000 items)');
    const nextPage = Date.now() - next;
    console.log(`10,000 flagged: sign-in to first page ${firstPage} ms, next page ${nextPage} ms`);
    expect(nextPage).toBeLessThan(2000);
    await expect(mod.getByRole('tab', { name: /Flagged reviews/ })).toContainText('10,000');
    // Keyboard: arrows move between tabs.
    await mod.getByRole('tab', { name: /Flagged reviews/ }).focus();
    await mod.keyboard.press('ArrowRight');
    await expect(mod.getByRole('tab', { name: /Held reviews/ })).toBeFocused();
    await expect(mod.getByRole('tab', { name: /Held reviews/ })).toHaveAttribute('aria-selected', 'true');
    await mod.getByRole('tab', { name: /Flagged reviews/ }).click();
    await mod.screenshot({ path: artifactPath('moderation-10k-queue.png') });
  } finally {
    await server.close();
  }
});
