/** The page fixtures (e2e/fixtures/*.json) as the cross-browser specs read them, and small page probes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequesterSummary } from '../../src/core/schemas.js';
import type { DriverPage, ExtensionDriver } from '../drivers/index.js';
import { FIXTURES_DIR } from '../harness.js';

interface Fixture {
  url: string;
  expectedBadges: number;
  rows?: { requesterId: string; requesterName: string }[];
  items?: { requesterId: string }[];
  requesters?: { id: string; name: string }[];
}
const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')) as { fixtures: Record<string, Fixture>; prolificApi?: { url: string; file: string }; workerId?: string; mturkWorkerId?: string };
const MTURK = read('mturk-fixtures.json');
const PAGES = read('pages-fixtures.json');

export function fixture(name: string): Fixture {
  const found = MTURK.fixtures[name] ?? PAGES.fixtures[name];
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

export const MTURK_WORKER_ID = MTURK.workerId!;
const PROLIFIC_API = { url: PAGES.prolificApi!.url, body: readFileSync(join(FIXTURES_DIR, PAGES.prolificApi!.file), 'utf8') };

/** Distinct requesters of a task list, in row order. */
export function distinctRequesters(name: string): [id: string, name: string][] {
  return [...new Map((fixture(name).rows ?? []).map((r) => [r.requesterId, r.requesterName])).entries()];
}

/** Serves an MTurk or Prolific fixture at its real URL's origin, and Prolific's study list API. */
export function serveSite(driver: ExtensionDriver, name: string): string {
  const url = fixture(name).url;
  driver.serveFixture(`${new URL(url).origin}/`, name);
  if (url.startsWith('https://app.prolific.com/')) {
    driver.serve(PROLIFIC_API.url, { body: PROLIFIC_API.body, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' } });
  }
  return url;
}

/** Puts summaries into the extension's IndexedDB through the background's own replica code (test builds). */
export function seedReplica(driver: ExtensionDriver, summaries: RequesterSummary[]): Promise<number> {
  return driver.background((bg, rows) => bg.lantern.replica.putSummaries(rows), summaries);
}

export interface BadgeSeen {
  requester: string;
  level: string;
  text: string;
}

/** Every badge on the page: its requester, level and button text (inside its shadow root). */
export function badges(page: DriverPage): Promise<BadgeSeen[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('lantern-badge')].map((el) => ({
      requester: el.dataset.lanternRequester ?? '',
      level: el.dataset.lanternLevel ?? '',
      text: (el.shadowRoot?.querySelector('button')?.textContent ?? '').trim(),
    })),
  );
}

/** How many badges each row matching `rowSelector` holds. */
export function badgesPerRow(page: DriverPage, rowSelector: string): Promise<number[]> {
  return page.evaluate((selector) => [...document.querySelectorAll(selector)].map((row) => row.querySelectorAll('lantern-badge').length), rowSelector);
}

/** Sends a `ui/…` message from an extension page, as the popup and options page do; resolves with the reply's value. */
export async function sendUi<T = unknown>(page: DriverPage, type: string, payload: unknown = {}): Promise<T> {
  const reply = (await page.evaluate(
    ([t, p]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: t, payload: p }),
    [type, payload] as const,
  )) as { ok: boolean; value?: T; error?: string };
  if (!reply.ok) throw new Error(reply.error);
  return reply.value as T;
}

/**
 * Sets the control labelled `label` (its exact text, else the first label starting with it, inside `scope`) as typing or choosing would:
 * the value, then `input` and `change`. A radio or checkbox is clicked. Throws if not found.
 */
export async function setByLabel(page: DriverPage, scope: string, label: string, value?: string): Promise<void> {
  const found = await page.evaluate(
    ([scopeSelector, text, v]) => {
      const root = document.querySelector(scopeSelector);
      const labels = [...(root?.querySelectorAll('label') ?? [])].map((l) => [l, (l.textContent ?? '').replace(/\s+/g, ' ').trim()] as const);
      const labelEl = (labels.find(([, t]) => t === text) ?? labels.find(([, t]) => t.startsWith(`${text} `)))?.[0];
      const control = labelEl?.control as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null | undefined;
      if (!control) return false;
      if (control instanceof HTMLInputElement && (control.type === 'radio' || control.type === 'checkbox')) {
        control.click();
        return true;
      }
      const proto = Object.getPrototypeOf(control) as object;
      Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(control, v ?? '');
      control.dispatchEvent(new Event('input', { bubbles: true }));
      control.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    },
    [scope, label, value ?? null] as const,
  );
  if (!found) throw new Error(`no control labelled "${label}" in ${scope}`);
}

/** Text of the first element matching `selector` (light DOM), '' if none. */
export function textOf(page: DriverPage, selector: string): Promise<string> {
  return page.evaluate((s) => (document.querySelector(s)?.textContent ?? '').replace(/\s+/g, ' ').trim(), selector);
}
