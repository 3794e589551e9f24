/**
 * Real Debian Chromium with the built extension loaded, no network but loopback.
 * Used by the end-to-end tests (through harness.ts) and by the benchmarks.
 * See ../shared/reference/browser-testing.md (beside the project) for why each flag is here.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const EXTENSION_DIR = join(process.env.LANTERN_DIST ? resolve(process.env.LANTERN_DIST) : join(ROOT, 'dist'), 'extension');

function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`Chromium not found at ${path}: run "apt-get install -y chromium" or set CHROMIUM_PATH.`);
  }
  return path;
}

/**
 * `extensionDir`: another build of the extension (a test may load a copy with its manifest changed).
 * A fresh profile installs the extension, which opens its welcome page: closed here (tests
 * and benchmarks want their own tabs only) unless `keepWelcome` (e2e/welcome.spec.ts).
 */
export async function launchWithExtension(userDataDir = '', extensionDir = EXTENSION_DIR, options: { keepWelcome?: boolean } = {}): Promise<BrowserContext> {
  const fresh = userDataDir === '' || readdirSync(userDataDir).length === 0;
  const context = await launch(userDataDir, extensionDir);
  if (fresh && !options.keepWelcome) await closeWelcome(context);
  return context;
}

const isWelcome = (page: Page) => page.url().endsWith('/welcome.html');

/** Waits for the install's welcome tab and closes it (a build without one: gives up after 10 s). */
async function closeWelcome(context: BrowserContext): Promise<void> {
  const opened = context.pages().find(isWelcome) ??
    (await context
      .waitForEvent('page', { timeout: 10_000, predicate: (page) => page.waitForURL(/\/welcome\.html$/, { timeout: 10_000 }).then(() => true, () => false) })
      .catch(() => null));
  await opened?.close();
}

function launch(userDataDir: string, extensionDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
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

/** A browser profile kept on disk, so a test can close the browser and start it again. */
export function profileDir(): string {
  return mkdtempSync(join(tmpdir(), 'lantern-profile-'));
}

export async function backgroundOf(context: BrowserContext): Promise<Worker> {
  const [worker] = context.serviceWorkers();
  return worker ?? context.waitForEvent('serviceworker');
}

export function extensionIdOf(background: Worker): string {
  return new URL(background.url()).host;
}

/**
 * Sends a `ui/…` message from a real extension page, as the popup and options page do,
 * so the background's sender check applies. Resolves with the reply's value.
 */
export async function sendUi<T = unknown>(page: Page, type: string, payload: unknown = {}): Promise<T> {
  const reply = await page.evaluate(
    ([t, p]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: t, payload: p }),
    [type, payload] as const,
  );
  const typed = reply as { ok: boolean; value?: T; error?: string };
  if (!typed.ok) throw new Error(typed.error);
  return typed.value as T;
}

/** An extension page to speak from (the popup, opened in a tab). */
export async function extensionPage(context: BrowserContext, background: Worker): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionIdOf(background)}/popup.html`);
  return page;
}

/**
 * A copy of the built extension whose manifest grants `notifications` at install. Users are
 * asked on a click (an optional permission), but headless Chromium shows that prompt as a
 * native dialog nobody can answer, so tests that need a notification load this copy.
 */
export function extensionWithNotificationsGranted(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-notify-'));
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { permissions: string[]; optional_permissions?: string[] };
  if (!manifest.optional_permissions?.includes('notifications')) throw new Error('the shipped manifest must ask for notifications as an optional permission');
  manifest.permissions.push('notifications');
  manifest.optional_permissions = manifest.optional_permissions.filter((p) => p !== 'notifications');
  writeFileSync(path, JSON.stringify(manifest));
  return dir;
}
