// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"enableJavaScriptEvaluation": true, "suppressInsecureJavaScriptEnvironmentWarning": true}}
/**
 * The Prolific adapter and its main-world script (prolific-main-world.ts) against the
 * fixture pages (e2e/fixtures/prolific-*.html) in happy-dom. The pages are the fixture's
 * own single-page app: it fetches the study list from Prolific's API, which here is a fake
 * `fetch` answering with `prolific-studies-api.json` as the network would (a response with
 * its URL). The main-world script wraps that fetch first, as it does at document_start,
 * and leaves study → researcher pairs on <html>; the adapter reads them.
 */
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { fixtureHelpers, fixtureText, openFixture, pagesFixture } from './fixture-page.testing.js';
import { prolificAdapter as prolific, prolificNameKey } from './prolific.js';

const API = 'https://internal-api.prolific.com/api/v1/participant/studies/';
const PARTICIPANT = '61dac579706e042f7517cf95';
const ATTRIBUTE = 'data-lantern-researchers';
const apiBody = fixtureText('prolific-studies-api.json');

interface PageHelpers {
  ready: Promise<number>;
  refresh(): Promise<number>;
  navigate(path: string): Promise<number>;
}

/** What the page's own `fetch` answers (the network, faked): swapped per test. */
let network: (url: string) => Response;
const asReceived = (url: string, body: string, status = 200): Response => {
  const response = new Response(body, { status, headers: { 'content-type': 'application/json' } });
  Object.defineProperty(response, 'url', { value: url }); // a fetched response carries its URL
  return response;
};

beforeAll(async () => {
  window.fetch = (async (input: RequestInfo | URL) => network(input instanceof Request ? input.url : String(input))) as typeof fetch;
  await import('./prolific-main-world.js'); // wraps window.fetch, as at document_start
});

beforeEach(() => {
  network = (url) => (url === API ? asReceived(url, apiBody) : asReceived(url, '{}', 404));
});

const pairs = () => JSON.parse(document.documentElement.getAttribute(ATTRIBUTE) ?? 'null') as Record<string, [string, string]> | null;

async function open(file: string) {
  const fixture = pagesFixture(file);
  const page = openFixture(file, fixture.url);
  await fixtureHelpers<PageHelpers>().ready;
  return { ...page, fixture };
}

describe('main-world script', () => {
  test("records every study's researcher id and name from the response the page received", async () => {
    await open('prolific-studies.html');
    const recorded = pairs()!;
    expect(Object.keys(recorded)).toHaveLength(6);
    expect(recorded['683d8304cb64582c4735483e']).toEqual(['64c6b3efb7e2ea36488c28da', "Sam O'Connor"]);
    expect(recorded['683da9ec2f426c7cbc384f5e']).toEqual(['5f7ad57cb7e3f3f05b48d4e3', 'The "Mind & Brain" Lab']);
    expect(recorded['683d9df8767991a512367e56']).toEqual(['604dd6ddb00a043e59299e3d', 'Zoë Ångström-Núñez, Universität Zürich']);
    expect(JSON.stringify(recorded)).not.toContain(PARTICIPANT);
  });

  test('the page gets its response untouched, readable, whatever the script made of it', async () => {
    await open('prolific-studies.html');
    expect(document.querySelectorAll('li[data-testid^="study-"]')).toHaveLength(6); // the app read the body
    const response = await window.fetch(API);
    expect(response.url).toBe(API);
    expect(await response.json()).toEqual(JSON.parse(apiBody));
  });

  test('learns nothing from another URL, a refusal or a body that is not JSON, and never throws into the page', async () => {
    await open('prolific-studies.html');
    document.documentElement.removeAttribute(ATTRIBUTE);
    network = (url) => asReceived(url, apiBody);
    await window.fetch('https://internal-api.prolific.com/api/v1/participant/submissions/');
    network = (url) => asReceived(url, apiBody, 500);
    expect((await window.fetch(API)).status).toBe(500);
    network = (url) => asReceived(url, '<html>maintenance</html>');
    expect(await (await window.fetch(API)).text()).toBe('<html>maintenance</html>');
    expect(pairs()).toBeNull();
  });

  test('keeps pairs across responses; skips researcher ids that are not 24 hex digits; caps names at 200', async () => {
    await open('prolific-studies.html');
    const one = (id: string, researcher: unknown) => JSON.stringify({ results: [{ id, researcher }] });
    network = (url) => asReceived(url, one('aaaaaaaaaaaaaaaaaaaaaaaa', { id: 'A3WORKERID0OWN7', name: 'Not an id' }));
    await window.fetch(API);
    network = (url) => asReceived(url, one('bbbbbbbbbbbbbbbbbbbbbbbb', { id: 'cccccccccccccccccccccccc', name: 'N'.repeat(300) }));
    await window.fetch(API);
    const recorded = pairs()!;
    expect(recorded['aaaaaaaaaaaaaaaaaaaaaaaa']).toBeUndefined();
    expect(recorded['bbbbbbbbbbbbbbbbbbbbbbbb']).toEqual(['cccccccccccccccccccccccc', 'N'.repeat(200)]);
    expect(Object.keys(recorded)).toHaveLength(7); // the page's six are still there
  });
});

describe('studies list', () => {
  test('one spot per card, keyed by the researcher id, inside the host line (both host markups)', async () => {
    const { doc, url, fixture } = await open('prolific-studies.html');
    const result = prolific.scan(doc, url);
    expect(result.page).toBe('study-list');
    expect(result.problems).toEqual([]);
    expect(result.spots.map((s) => [s.key, s.name])).toEqual(fixture.items.map((i) => [`prolific:${i.requesterId}`, i.requesterName]));
    expect(result.spots.map((s) => s.row.getAttribute('data-testid'))).toEqual(fixture.items.map((i) => `study-${i.id}`));
    expect(result.spots.every((s) => s.position === 'beforeend')).toBe(true);
    // Cards 1 and 3 name the researcher in an aria-labelledby span, the rest in "By <name>".
    expect(result.spots.map((s) => s.anchor.matches('[data-testid="host"]'))).toEqual([true, false, true, false, true, true]);
    expect(JSON.stringify(result.spots.map((s) => [s.key, s.name]))).not.toContain(PARTICIPANT);
  });

  test("each card's study: id, title and reward in pence", async () => {
    const { doc, url, fixture } = await open('prolific-studies.html');
    expect(prolific.scan(doc, url).spots.map((s) => prolific.rowTask?.(s.row))).toEqual(
      fixture.items.map((i) => ({ taskId: i.id, taskTitle: i.title, reward: { cents: Math.round(i.reward * 100), currency: 'GBP' } })),
    );
    expect(prolific.work?.(doc, url)).toEqual([]); // a list is no work of the worker's
  });

  test('without the pairs (the script missed the response), researchers are keyed by name', async () => {
    const { doc, url, fixture } = await open('prolific-studies.html');
    document.documentElement.removeAttribute(ATTRIBUTE);
    const keys = prolific.scan(doc, url).spots.map((s) => s.key);
    expect(keys).toEqual(fixture.items.map((i) => prolificNameKey(i.requesterName)));
    expect(keys[0]).toBe('prolific-name:the%20%22mind%20%26%20brain%22%20lab');
  });

  test('a refresh (every card a new element) gives the same spots on the new cards', async () => {
    const { doc, url } = await open('prolific-studies.html');
    const before = prolific.scan(doc, url).spots;
    await fixtureHelpers<PageHelpers>().refresh();
    const after = prolific.scan(doc, url).spots;
    expect(after.map((s) => s.key)).toEqual(before.map((s) => s.key));
    expect(after.every((s, i) => s.row !== before[i]!.row && s.row.isConnected)).toBe(true);
  });
});

describe('study page', () => {
  test('the study: researcher from the pairs, id from the URL, title and reward; previewed; Start is the accept control', async () => {
    const { doc, url, fixture } = await open('prolific-study.html');
    const expected = {
      requester: 'prolific:604dd6ddb00a043e59299e3d',
      requesterName: 'Zoë Ångström-Núñez, Universität Zürich',
      taskId: '683d9df8767991a512367e56',
      taskTitle: fixture.task!.title,
      reward: { cents: 225, currency: 'GBP' },
      accepted: false,
    };
    expect(prolific.task(doc, url)).toEqual(expected);
    const result = prolific.scan(doc, url);
    expect(result).toMatchObject({ page: 'study', problems: [] });
    expect(result.spots.map((s) => s.key)).toEqual(['prolific:604dd6ddb00a043e59299e3d']);
    const { accepted: _, ...task } = expected;
    expect(prolific.work?.(doc, url)).toEqual([{ ...task, assignmentId: null, event: 'previewed', at: null, outcome: null }]);
    expect(prolific.isAcceptControl?.(doc.querySelector('[data-testid="start-now"]')!)).toBe(true);
    expect(prolific.isAcceptControl?.(doc.querySelector('[data-testid="back-to-studies"]')!)).toBe(false);
  });

  test('reached in the app from the list (pushState, no new fetch): the same study', async () => {
    const { doc } = await open('prolific-studies.html');
    await fixtureHelpers<PageHelpers>().navigate('/studies/683d9df8767991a512367e56');
    const task = prolific.task(doc, new URL(location.href));
    expect(task).toMatchObject({ requester: 'prolific:604dd6ddb00a043e59299e3d', taskId: '683d9df8767991a512367e56', reward: { cents: 225, currency: 'GBP' } });
  });
});

test('handles only app.prolific.com', () => {
  expect(['https://app.prolific.com/studies', 'https://internal-api.prolific.com/', 'https://worker.mturk.com/'].map((u) => prolific.handles(new URL(u)))).toEqual([true, false, false]);
});
