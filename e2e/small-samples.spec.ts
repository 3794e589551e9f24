/**
 * Small samples are visible (issue 12), in real Chromium on the MTurk task list: a
 * requester with one review gets a neutral badge that says "1 review" (never the green
 * check) and a card that says why no level is given; one paying $0.48/h from one task
 * shows no green check either; one with enough data still gets its level.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { summarize, type ReviewFacts } from '../src/core/rating.js';
import type { RequesterKey } from '../src/core/requester-key.js';
import { DEFAULT_RULES } from '../src/core/rules.js';
import type { RequesterSummary } from '../src/core/schemas.js';
import { artifactPath, expect, extensionIdOf, FIXTURES_DIR, seedReplica, serveFixture, test } from './harness.js';
import { summaryFor } from './summaries.js';

test.use({ actionTimeout: 15_000 });

const ROWS = (JSON.parse(readFileSync(join(FIXTURES_DIR, 'mturk-fixtures.json'), 'utf8')) as {
  fixtures: Record<string, { rows: { requesterId: string; requesterName: string }[] }>;
}).fixtures['mturk-home.html']!.rows;
const [ONE, LOW, ENOUGH, LOW_ENOUGH] = [...new Map(ROWS.map((r) => [r.requesterId, r.requesterName])).entries()].map(([id, name]) => ({ key: `mturk:${id}`, name }));

const NOW = Date.now();
/** Reviews at `cents` for `minutes` each, by distinct established accounts, with the rating math the server uses. */
function summaryOf(who: { key: string; name: string }, count: number, cents: number, minutes: number): RequesterSummary {
  const reviews: ReviewFacts[] = Array.from({ length: count }, (_, i) => ({
    account: i + 1,
    established: true,
    createdAt: NOW - 2 * 86_400_000,
    reward: { cents, currency: 'USD' },
    bonusCents: 0,
    minutes,
    finished: true,
    outcome: 'approved',
    daysToDecision: 1,
    ratings: { pay: 4, fairness: 4, speed: 4, communication: null },
    tags: [],
  }));
  return summarize(
    { key: who.key as RequesterKey, name: who.name, reviews, heldReviews: 0, suspensions: [], issueFlags: [], confirmed: { suspension: false, phishing: false } },
    NOW,
    DEFAULT_RULES,
  );
}

const badgeOf = (page: Page, key: string) => page.locator(`lantern-badge[data-lantern-requester="${key}"]`).first();

test('one review is neutral and says so, $0.48/h from one task has no green check, enough data keeps its level', async ({ context, background }) => {
  const minSample = DEFAULT_RULES.caution.minSample;
  expect(minSample).toBe(3);
  await seedReplica(background, [
    summaryOf(ONE!, 1, 150, 10), // $9.00/h, one review
    summaryOf(LOW!, 1, 100, 125), // $0.48/h, one task
    summaryFor(ENOUGH!.key, ENOUGH!.name, 'ok'), // six reviews at $12.60/h
    summaryOf(LOW_ENOUGH!, minSample, 100, 125), // $0.48/h from three tasks
  ]);
  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('https://worker.mturk.com/');

  // One review: neutral, "1 review", and its words for screen readers say why there is no level.
  const one = badgeOf(page, ONE!.key);
  await expect(one).toHaveAttribute('data-lantern-details', 'full');
  await expect(one).toHaveAttribute('data-lantern-level', 'unknown');
  await expect(one.getByRole('button')).toHaveText('1 review');
  await expect(one.getByRole('button')).toHaveAttribute('aria-label', /too few reviews for a level\. No level yet: Lantern gives a level from 3 reviews; this requester has 1\./);

  // $0.48/h from one task: no green check, no "No warnings"; neutral like any single review.
  const low = badgeOf(page, LOW!.key);
  await expect(low).toHaveAttribute('data-lantern-details', 'full');
  await expect(low).toHaveAttribute('data-lantern-level', 'unknown');
  await expect(low.getByRole('button')).toHaveText('1 review');
  await expect(low.getByRole('button')).not.toHaveAttribute('aria-label', /no warnings/i);
  await expect(low.getByRole('button')).toHaveAttribute('aria-label', /hourly pay rests on 1 task: too few to compare with your minimum \(Lantern compares from 3 tasks\)/);

  // Enough data: the level as before — ok with its pay, and a pay caution from three tasks.
  await expect(badgeOf(page, ENOUGH!.key)).toHaveAttribute('data-lantern-level', 'ok');
  await expect(badgeOf(page, ENOUGH!.key).getByRole('button')).toHaveText('$12.60/h');
  await expect(badgeOf(page, LOW_ENOUGH!.key)).toHaveAttribute('data-lantern-level', 'caution');
  await expect(badgeOf(page, LOW_ENOUGH!.key).getByRole('button')).toHaveText('$0.48/h');

  // The card of the one-review requester says why no level is given, on what the pay rests, and the rules.
  await one.getByRole('button').click();
  const card = page.locator('lantern-card').getByRole('dialog');
  await expect(card).toBeVisible();
  await expect(card.locator('.level')).toHaveText('No level yet');
  await expect(card.locator('[data-role="sample-why"]')).toHaveText('Lantern gives a level from 3 reviews; this requester has 1.');
  await expect(card.locator('[data-role="sample-pay"]')).toHaveText('The hourly pay rests on 1 task: too few to compare with your minimum (Lantern compares from 3 tasks).');
  await expect(card.locator('[data-role="sample-rule"]')).toContainText('a level from 3 reviews; pay and rejections compared with your minimums from 3 tasks each; a rating from 5 ratings');
  await expect(card).not.toContainText('No reviews yet');
  // Pay says the number of tasks it rests on; counts in the singular.
  await expect(card.getByRole('table')).toContainText('1 task');
  await expect(card.getByRole('table')).not.toContainText('1 tasks');
  await page.screenshot({ path: artifactPath('honest-one-review.png') });

  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const ours = results.violations.flatMap((v) => v.nodes.filter((n) => JSON.stringify(n.target).includes('lantern-')).map((n) => `${v.id} ${JSON.stringify(n.target)}`));
  expect(ours).toEqual([]);

  // The popup on this tab says the same: no level yet and why, and the pay with its one task.
  const tabId = await background.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number }[]> } } }).chrome;
    return (await chrome.tabs.query({ url: 'https://worker.mturk.com/*' }))[0]!.id;
  });
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 380, height: 900 });
  await popup.goto(`chrome-extension://${extensionIdOf(background)}/popup.html?tab=${tabId}`);
  const inPopup = popup.locator(`article[data-requester="${ONE!.key}"]`);
  await expect(inPopup.locator('.level')).toHaveText('No level yet');
  await expect(inPopup.locator('[data-role="sample-why"]')).toHaveText('Lantern gives a level from 3 reviews; this requester has 1.');
  await expect(inPopup.locator('[data-field="hourly"]')).toHaveText('$9.00 per hour, from 1 task');
  await expect(inPopup).toContainText('3.2 of 5 from 1 rating: too few to compare');
  await popup.screenshot({ path: artifactPath('honest-one-review-popup.png'), fullPage: true });
});
