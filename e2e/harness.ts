/**
 * End-to-end harness: real Debian Chromium with the built extension loaded, no network
 * except loopback, and task-site fixtures served at their real URLs by routing.
 * See ../../shared/reference/browser-testing.md for why each flag is here.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, chromium, type BrowserContext, type Worker } from '@playwright/test';
import type { RequesterSummary } from '../src/core/schemas.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const EXTENSION_DIR = join(ROOT, 'dist', 'extension');
export const FIXTURES_DIR = join(ROOT, 'e2e', 'fixtures');
export const ARTIFACTS_DIR = join(ROOT, 'artifacts');

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`Chromium not found at ${path}: run "apt-get install -y chromium" or set CHROMIUM_PATH.`);
  }
  return path;
}

export async function launchWithExtension(userDataDir = ''): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-default-browser-check',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
}

export async function backgroundOf(context: BrowserContext): Promise<Worker> {
  const [worker] = context.serviceWorkers();
  return worker ?? context.waitForEvent('serviceworker');
}

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

export function extensionIdOf(background: Worker): string {
  return new URL(background.url()).host;
}

/**
 * Sends a `ui/…` message from a real extension page, as the popup and options page do,
 * so the background's sender check applies. Resolves with the reply's value.
 */
export async function sendUi<T = unknown>(page: import('@playwright/test').Page, type: string, payload: unknown = {}): Promise<T> {
  const reply = await page.evaluate(
    ([t, p]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: t, payload: p }),
    [type, payload] as const,
  );
  const typed = reply as { ok: boolean; value?: T; error?: string };
  if (!typed.ok) throw new Error(typed.error);
  return typed.value as T;
}

/** An extension page to speak from (the popup, opened in a tab). */
export async function extensionPage(context: BrowserContext, background: Worker): Promise<import('@playwright/test').Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionIdOf(background)}/popup.html`);
  return page;
}

/** A browser profile kept on disk, so a test can close the browser and start it again. */
export function profileDir(): string {
  return mkdtempSync(join(tmpdir(), 'lantern-profile-'));
}
