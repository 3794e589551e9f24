/**
 * Loads one of the e2e fixture pages (`e2e/fixtures/*.html`) into the happy-dom document
 * of a unit test, at the URL it stands for, with its own inline scripts running (the
 * re-render helpers `window.__fixture`, Prolific's single-page app). Test files using it
 * run in happy-dom with JavaScript on:
 *
 *     // @vitest-environment happy-dom
 *     // @vitest-environment-options {"settings": {"enableJavaScriptEvaluation": true, "suppressInsecureJavaScriptEnvironmentWarning": true}}
 *
 * (the scripts are the project's own fixtures, nothing from outside).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A path, not a file: URL (the test's global URL is happy-dom's, which node:fs refuses).
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../e2e/fixtures');

interface PagesFixture {
  url: string;
  workerId: string | null;
  expectedBadges: number;
  requesters: { id: string; name: string }[];
  items: {
    id: string;
    requesterId: string;
    requesterName: string;
    title: string;
    reward: number;
    currency: string;
    assignmentId?: string;
    groupId?: string;
    state?: string;
  }[];
  task: { groupId: string; taskId: string | null; assignmentId: string | null; title: string; reward: number; currency: string; requesterId: string; requesterName: string } | null;
}

interface ListFixture {
  url: string;
  workerId: string;
  expectedBadges: number;
  rows: { hitSetId: string; requesterId: string; requesterName: string; title: string; reward: number }[];
}

export const fixtureText = (file: string): string => readFileSync(join(FIXTURES, file), 'utf8');

/** `e2e/fixtures/pages-fixtures.json`'s entry for a page (task pages, queue, status, Prolific). */
export function pagesFixture(file: string): PagesFixture {
  const all = JSON.parse(fixtureText('pages-fixtures.json')) as { fixtures: Record<string, PagesFixture> };
  return all.fixtures[file]!;
}

/** `e2e/fixtures/mturk-fixtures.json`'s entry for a task list page. */
export function listFixture(file: string): ListFixture {
  const all = JSON.parse(fixtureText('mturk-fixtures.json')) as { fixtures: Record<string, ListFixture> };
  return all.fixtures[file]!;
}

interface HappyDomControl {
  setURL(url: string): void;
  setViewport(viewport: { width?: number; height?: number }): void;
}

/** The test window's happy-dom controls (URL, viewport). */
const happyDom = (): HappyDomControl => (window as unknown as { happyDOM: HappyDomControl }).happyDOM;

/** Replaces the test document with the fixture page at `url` (its scripts run as it loads). */
export function openFixture(file: string, url: string): { doc: Document; url: URL } {
  happyDom().setURL(url);
  happyDom().setViewport({ width: 1280, height: 900 });
  document.open();
  document.write(fixtureText(file));
  document.close();
  return { doc: document, url: new URL(url) };
}

/** The page's `window.__fixture` helpers (see e2e/fixtures/README.md). */
export function fixtureHelpers<T>(): T {
  return (window as unknown as { __fixture: T }).__fixture;
}
