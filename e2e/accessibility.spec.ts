/**
 * Accessibility, checked with axe-core in real Chromium: badges, banners and the detail
 * card on a task list (inside their Shadow DOMs), the popup and the options page — WCAG 2
 * A and AA, which includes 4.5:1 text contrast and labels for every control — and
 * usability at 200 % zoom (the same CSS pixels in half the width).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, extensionIdOf, extensionPage, FIXTURES_DIR, seedReplica, serveFixture, test } from './harness.js';
import { summaryFor, type SummaryState } from './summaries.js';

const HOME_ROWS = (JSON.parse(readFileSync(join(FIXTURES_DIR, 'mturk-fixtures.json'), 'utf8')) as {
  fixtures: Record<string, { rows: { requesterId: string; requesterName: string }[] }>;
}).fixtures['mturk-home.html']!.rows;
const DISTINCT = [...new Map(HOME_ROWS.map((r) => [r.requesterId, r.requesterName])).entries()];

/** axe violations on Lantern's own elements only (the fixture page is not ours to fix). */
async function ourViolations(page: Page, onlyOurs: boolean) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .map((v) => ({
      rule: v.id,
      nodes: v.nodes.filter((n) => !onlyOurs || JSON.stringify(n.target).includes('lantern-')).map((n) => JSON.stringify(n.target)),
    }))
    .filter((v) => v.nodes.length > 0);
}

test('badges, banners and the open detail card pass axe (WCAG 2 AA, contrast included)', async ({ context, background }) => {
  const states: SummaryState[] = ['danger', 'caution', 'ok', 'held'];
  await seedReplica(background, DISTINCT.slice(0, 4).map(([id, name], i) => summaryFor(`mturk:${id}`, name, states[i]!)));
  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
  const page = await context.newPage();
  await page.goto('https://worker.mturk.com/');
  await expect(page.locator('lantern-badge[data-lantern-level]')).toHaveCount(HOME_ROWS.length);
  await expect(page.locator('lantern-banner')).not.toHaveCount(0);
  expect(await ourViolations(page, true)).toEqual([]);

  await page.locator(`lantern-badge[data-lantern-requester="mturk:${DISTINCT[0]![0]}"]`).first().getByRole('button').click();
  const card = page.locator('lantern-card').getByRole('dialog');
  await expect(card).toBeVisible();
  expect(await ourViolations(page, true)).toEqual([]);
});

test('the popup and the options page pass axe', async ({ context, background }) => {
  const popup = await extensionPage(context, background);
  await expect(popup.locator('body')).not.toBeEmpty();
  expect(await ourViolations(popup, false)).toEqual([]);
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionIdOf(background)}/options.html`);
  await expect(options.getByRole('heading').first()).toBeVisible();
  expect(await ourViolations(options, false)).toEqual([]);
});

test('at 200 % zoom nothing needs sideways scrolling and the detail card stays on screen', async ({ context, background }) => {
  await seedReplica(background, [summaryFor(`mturk:${DISTINCT[0]![0]}`, DISTINCT[0]![1], 'danger')]);
  const options = await context.newPage();
  await options.setViewportSize({ width: 640, height: 450 });
  await options.goto(`chrome-extension://${extensionIdOf(background)}/options.html`);
  await expect(options.getByRole('heading').first()).toBeVisible();
  const overflow = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await overflow(options)).toBeLessThanOrEqual(0);

  const popup = await context.newPage();
  await popup.setViewportSize({ width: 380, height: 600 });
  await popup.goto(`chrome-extension://${extensionIdOf(background)}/popup.html`);
  await expect(popup.locator('body')).not.toBeEmpty();
  expect(await overflow(popup)).toBeLessThanOrEqual(0);

  await serveFixture(context, 'https://worker.mturk.com/**', 'mturk-home.html');
  const page = await context.newPage();
  await page.setViewportSize({ width: 640, height: 450 });
  await page.goto('https://worker.mturk.com/');
  // At this width the mobile layout shows: the badge sits at its requester link.
  const host = page.locator(`lantern-badge[data-lantern-requester="mturk:${DISTINCT[0]![0]}"]`).first();
  await expect(host).toBeVisible();
  expect(await host.evaluate((el) => el.closest('.mobile-row') !== null)).toBe(true);
  await host.getByRole('button').click();
  const box = await page.locator('lantern-card').getByRole('dialog').boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(640);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(450);
});
