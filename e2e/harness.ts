/**
 * End-to-end harness: Playwright test fixtures around e2e/browser.ts — a fresh browser
 * profile with the built extension per test — and task-site fixtures served at their
 * real URLs by routing.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, type BrowserContext, type Worker } from '@playwright/test';
import type { RequesterSummary } from '../src/core/schemas.js';
import { backgroundOf, launchWithExtension } from './browser.js';

export * from './browser.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES_DIR = join(ROOT, 'e2e', 'fixtures');
const ARTIFACTS_DIR = join(ROOT, 'artifacts');

/** Serves e2e/fixtures/<file> for every request to `urlPattern`, as text/html. */
export async function serveFixture(context: BrowserContext, urlPattern: string, file: string): Promise<void> {
  const body = readFileSync(join(FIXTURES_DIR, file), 'utf8');
  await context.route(urlPattern, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }));
}

/** Puts summaries into the extension's IndexedDB through the background's own replica code. */
export async function seedReplica(background: Worker, summaries: RequesterSummary[]): Promise<number> {
  return background.evaluate(
    (rows) => (globalThis as unknown as { lantern: { replica: { putSummaries(r: unknown[]): Promise<number> } } }).lantern.replica.putSummaries(rows),
    summaries,
  );
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}

export const test = base.extend<{ context: BrowserContext; background: Worker }>({
  // eslint-disable-next-line no-empty-pattern
  context: async ({}, use) => {
    const context = await launchWithExtension();
    await use(context);
    await context.close();
  },
  background: async ({ context }, use) => {
    await use(await backgroundOf(context));
  },
});

export { expect } from '@playwright/test';
