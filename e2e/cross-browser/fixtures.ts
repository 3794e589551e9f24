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
export const PROLIFIC_API = { url: PAGES.prolificApi!.url, body: readFileSync(join(FIXTURES_DIR, PAGES.prolificApi!.file), 'utf8') };

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
