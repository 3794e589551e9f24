/**
 * `npm run bench:page [-- --quick] [-- --before <checkout>] [-- --profile]`
 *
 * How fast badges appear, and what Lantern costs a page, in real Chromium with the built
 * extension and a local replica of 100k requesters (synced from the real server):
 *
 * - **page start**: the content script's main-thread time per page load of a 20-row task
 *   list, from navigation to every full answer drawn, by CPU profile (every sample with a
 *   content.js frame on its stack: its calls and the DOM work they do). Loads follow one
 *   another in one tab, as a page monitor reloads a worker's task list; the first load in
 *   a fresh tab (a new renderer process, whose one-offs such as ICU's start-up fall to
 *   whoever formats a number first) is reported apart. What the index's size costs of it:
 *   the same loads with the stored index swapped for an empty one, subtracted (the
 *   target's figure). From the whole: page loads a minute before Lantern costs 1 % of a
 *   core. CDP's TaskDuration (renderer main thread, with Lantern − without) is printed too;
 *   its per-tab counters make the difference noisy;
 * - **badges drawn**: from N task rows landing in the DOM to every row's badge drawn
 *   from the badge index, and to every badge holding the background's full answer, for
 *   20, 100 and 1,000 rows; baseline, in the same run and browser: the way earlier tools
 *   worked — one HTTP lookup per page scan to a server on loopback — drawing with
 *   Lantern's own badge code (bench-page-baseline.ts), so the ratio measures the lookup;
 *   and the same on a page open a while that has read the whole index (what a page that
 *   keeps adding rows gets after its first such rows);
 * - **index upkeep**: the background's time to mend the index after a delta of 1,000
 *   changed requesters, against building it whole, in the same run.
 *
 * `--before <dir>`: a checkout of an earlier commit (node_modules linked) is built and
 * measured by the same instruments in the same run, beside this one.
 */
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import type { BrowserContext, CDPSession, Page, Worker } from 'playwright';
import { backgroundOf, EXTENSION_DIR, extensionPage, launchWithExtension, sendUi } from '../e2e/browser.js';
import { migrate } from '../src/server/storage/migrate.js';
import { openSqliteDriver } from '../src/server/storage/sqlite-driver.js';
import { startServer } from '../src/server/index.js';
import { loadBenchData } from './bench-server-data.js';
import { BenchResults } from './bench-results.js';
import { build } from './build.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, runs: { type: 'string' }, before: { type: 'string' }, profile: { type: 'boolean', default: false }, 'profile-rows': { type: 'string', default: '100' }, 'profile-start': { type: 'boolean', default: false }, dev: { type: 'boolean', default: false } } });
const REQUESTERS = values.quick ? 10_000 : 100_000;
const RUNS = Number(values.runs ?? (values.quick ? 5 : 15));
const SIZES = [20, 100, 1000];
const PAGE_START_ROWS = 20;
/** Runs of the long-lived page's timing (each waits 5.5 s for the page to count as long-lived). */
const LONG_LIVED_RUNS = values.quick ? 2 : 5;
const DELTA = 1000;
const PAGE_URL = 'https://worker.mturk.com/';

/**
 * Rows shaped like MTurk's: a desktop and a mobile copy of each (one hidden by a media
 * query), both with the requester link, so the adapter must pick the visible one.
 */
function rowsHtml(ids: string[]): string {
  return ids
    .map(
      (id, i) =>
        `<li class="hit-set-table-row table-row expandable"><div class="desktop-row hidden-sm-down"><span class="p-x-sm column text-truncate requester-column"><span class="expand-button-holder"><button type="button" class="btn btn-link expand-button" aria-expanded="false" aria-label="Show details">+</button></span><span><a class="show-visited" href="/requesters/${id}/projects?ref=w_pl_prvw">Requester ${i}</a></span></span><span class="p-x-sm column text-truncate project-name-column hidden-sm-down" title="Task ${i}"><span><a class="show-visited" href="/projects/3AS5SGTU2GYRDPB34F61NLOF${String(i).padStart(6, '0')}/tasks?ref=w_pl_prvw">Task ${i}</a></span></span><span class="p-x-sm column task-count-column text-xs-right hidden-sm-down">1,840</span><span class="p-x-sm column reward-column hidden-sm-down text-xs-right">$0.50</span><span class="p-x-sm column actions-column text-xs-center"><a class="btn work-btn hidden-sm-down" href="/projects/3AS5SGTU2GYRDPB34F61NLOF${String(i).padStart(6, '0')}/tasks/accept_random?ref=w_pl_prvw">Accept &amp; Work</a></span></div><div class="mobile-row hidden-md-up"><div class="mobile-title text-truncate"><a class="show-visited" href="/projects/3AS5SGTU2GYRDPB34F61NLOF${String(i).padStart(6, '0')}/tasks?ref=w_pl_prvw">Task ${i}</a></div><div class="mobile-meta"><span class="text-truncate requester-name"><span><a class="show-visited" href="/requesters/${id}/projects?ref=w_pl_prvw">Requester ${i}</a></span></span><span class="mobile-reward"><strong>$0.50</strong></span></div></div></li>`,
    )
    .join('');
}

const PAGE_CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:0}ol{list-style:none;margin:0;padding:0}
.desktop-row{display:flex;align-items:center;min-height:2.6rem}.requester-column{flex:0 0 22%}.project-name-column{flex:1 1 auto;min-width:0}
.task-count-column{flex:0 0 70px}.reward-column{flex:0 0 80px;font-weight:700}.actions-column{flex:0 0 130px}
.text-truncate{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.hit-set-table-row:nth-child(odd){background:#fafafa}
@media (max-width:767.98px){.hidden-sm-down{display:none!important}}@media (min-width:768px){.hidden-md-up{display:none!important}}`;

/** An MTurk-like task list with one warm-up row, so the content script is known to be running. */
function shell(warmupId: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>HITs</title><style>${PAGE_CSS}</style></head><body>
<div data-react-class="require('reactComponents/hitSetTable/HitSetTable')['default']" data-react-props="{}"><ol class="hit-set-table">${rowsHtml([warmupId])}</ol></div>
<div id="baseline"></div></body></html>`;
}

/** en/messages.json as `browser.i18n` for the baseline's plain page (Lantern's badge words). */
function i18nShim(): string {
  const messages = readFileSync(join('src', '_locales', 'en', 'messages.json'), 'utf8');
  return `(() => { const m = ${messages};
  globalThis.browser = { i18n: { getUILanguage: () => 'en', getMessage(key, subs) {
    const entry = m[key]; if (!entry) return '';
    const values = subs === undefined ? [] : Array.isArray(subs) ? subs : [subs];
    return entry.message.replace(/\\$(\\w+)\\$/g, (_, name) => (entry.placeholders?.[name.toLowerCase()]?.content ?? ''))
      .replace(/\\$(\\d)/g, (_, n) => values[Number(n) - 1] ?? '');
  } } }; })();`;
}

/** A baseline brief per requester: levels and pay spread like the replica's. */
function baselineBrief(key: string): object {
  const n = key.charCodeAt(key.length - 1) % 4;
  const level = (['ok', 'caution', 'unknown', 'ok'] as const)[n];
  return { level, blocked: false, belowMinimums: level === 'caution', held: false, phishing: false, pay: level === 'unknown' ? null : { centsPerHour: 600 + n * 250, currency: 'USD' } };
}

/**
 * A Turkopticon-style lookup API: POST /lookup with keys A,B,… → {key: brief}. It also serves
 * the baseline's task page (GET /page, with Lantern's badge code bundled in) and the
 * same task list without anything (GET /plain?start=…), so the page's lookup is
 * same-origin: Chromium blocks a public site's requests to loopback.
 */
async function baselineServer(pageHtml: (start: number) => string, warmup: string): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = await esbuild.build({ entryPoints: ['scripts/bench-page-baseline.ts'], bundle: true, format: 'iife', globalName: 'lanternBaseline', write: false, target: 'chrome120', logLevel: 'silent' });
  const script = `<script>${i18nShim()}</script><script>${bundle.outputFiles[0]!.text}</script>`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/page' || url.pathname === '/plain') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(url.pathname === '/page' ? shell(warmup).replace('</head>', () => `${script}</head>`) : pageHtml(Number(url.searchParams.get('start') ?? 0)));
      return;
    }
    let posted = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (posted += chunk));
    req.on('end', () => {
      const body: Record<string, object> = {};
      for (const key of posted.split(',')) if (key) body[key] = baselineBrief(key);
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify(body));
    });
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      done({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

interface LanternTimes {
  /** Every new row shows its badge (level and text). */
  badges: number;
  /** Every new badge also carries the background's full answer (reasons, counts, card). */
  details: number;
}

/** Inserts the rows and resolves with ms until every new row shows a badge, then its full answer. */
async function timeLantern(page: Page, ids: string[]): Promise<LanternTimes> {
  return page.evaluate(
    ({ html, count }) =>
      new Promise<LanternTimes>((done) => {
        const list = document.querySelector('ol.hit-set-table')!;
        const count$ = (selector: string) => document.querySelectorAll(selector).length;
        const beforeBadges = count$('lantern-badge[data-lantern-level]');
        const beforeFull = count$('lantern-badge[data-lantern-details="full"]');
        let badges = 0;
        const check = () => {
          const now = performance.now() - start;
          if (!badges && count$('lantern-badge[data-lantern-level]') >= beforeBadges + count) badges = now;
          if (badges && count$('lantern-badge[data-lantern-details="full"]') >= beforeFull + count) {
            observer.disconnect();
            done({ badges, details: now });
          }
        };
        // Resolve at the DOM change that completes the set: no frame-rate rounding.
        const observer = new MutationObserver(check);
        // Badges arriving (new hosts) and changing (level, details); other attributes are
        // left out, so this instrument's own cost stays out of the figures.
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-lantern-level', 'data-lantern-details'] });
        list.insertAdjacentHTML('beforeend', html);
        // The list is in the DOM now: the clock starts (the parse is the page's, not ours).
        const start = performance.now();
      }),
    { html: rowsHtml(ids), count: ids.length },
  );
}

/**
 * The earlier tools' way, in the page: the rows land in the same list; scan, one HTTP
 * lookup, draw (Lantern's badge code). The page has drawn its warm-up row first, as
 * Lantern's page has when its rows are timed: the first draw on a page pays one-offs (the
 * renderer's first Intl format, ~50 ms in a fresh process; the first badge's styles)
 * that are not the lookup, and the ratio is meant to measure the lookup alone.
 */
async function timeBaseline(page: Page, ids: string[], api: string, warm = true): Promise<number> {
  return page.evaluate(
    async ({ html, api: url, warm }) => {
      const baseline = (globalThis as unknown as { lanternBaseline: { lookUpAndDraw(api: string): Promise<void> } }).lanternBaseline;
      if (warm) await baseline.lookUpAndDraw(url);
      document.querySelector('ol.hit-set-table')!.insertAdjacentHTML('beforeend', html);
      const start = performance.now();
      await baseline.lookUpAndDraw(url);
      return performance.now() - start;
    },
    { html: rowsHtml(ids), api, warm },
  );
}

/** How many requesters the open task page's badge index holds (null: not read yet), and how many shards it holds. */
async function tabIndexInfo(ext: Page): Promise<{ size: number | null; shards: number | null; openMs: number }> {
  return ext.evaluate(async (url) => {
    type Info = { badgeIndexSize: number | null; badgeIndexShards?: number | null; badgeIndexOpenMs?: number };
    type Chrome = { tabs: { query(q: object): Promise<{ id: number }[]>; sendMessage(id: number, m: unknown): Promise<{ value?: Info }> } };
    const { tabs } = (globalThis as unknown as { chrome: Chrome }).chrome;
    const [tab] = await tabs.query({ url: `${url}*` });
    if (!tab) return { size: null, shards: null, openMs: 0 };
    const info = (await tabs.sendMessage(tab.id, { type: 'tab/page-info', payload: {} })).value;
    return { size: info?.badgeIndexSize ?? null, shards: info?.badgeIndexShards ?? null, openMs: info?.badgeIndexOpenMs ?? 0 };
  }, PAGE_URL);
}
const tabIndexSize = async (ext: Page) => (await tabIndexInfo(ext)).size;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type IndexStatus = { building: boolean; last: { rows: number; computed?: number; ms: number; kind?: string; phases?: object } | null };
type Hooks = {
  lantern: {
    badgeIndexStatus(): IndexStatus;
    rebuildBadgeIndex(): Promise<void>;
    replica: { getRows(keys: string[]): Promise<Map<string, unknown[]>>; applyChanges(rows: unknown[], removed: string[], expected: null, complete: object): Promise<void> };
  };
};

/** One build of the extension in its own browser, synced with the server and its index built. */
interface Subject {
  name: string;
  browser: BrowserContext;
  background: Worker;
  ext: Page;
  fullBuildMs: number;
}

/**
 * `expected`: the requesters the server holds (the generator drops the few keys it draws
 * twice, so at 100k it is a little under REQUESTERS: waiting for REQUESTERS never ended).
 */
async function prepare(name: string, extensionDir: string, serverUrl: string, page: (start: number) => string, warmup: string, expected: number): Promise<Subject> {
  const browser = await launchWithExtension('', extensionDir);
  const background = await backgroundOf(browser);
  const ext = await extensionPage(browser, background);
  await sendUi(ext, 'ui/settings-set', { serverUrl });
  const waitingSince = Date.now();
  let said = Date.now();
  /** Every 10 s of waiting, what is awaited and what is seen (a stall says where it is). */
  const progress = (what: string, seen: unknown) => {
    if (Date.now() - said < 10_000) return;
    said = Date.now();
    console.log(`${name}: waiting ${((Date.now() - waitingSince) / 1000).toFixed(0)} s for ${what}; seen ${JSON.stringify(seen)}`);
  };
  for (;;) {
    const status = await sendUi<{ sync: { state: string; rows: number; lastError: string | null } }>(ext, 'ui/status');
    if (status.sync.lastError) throw new Error(status.sync.lastError);
    if (status.sync.state === 'idle' && status.sync.rows >= expected) break;
    progress(`the sync (${expected} rows)`, status.sync);
    await ext.waitForTimeout(100);
  }
  // The badge index is built after the snapshot; wait for it to be stored.
  let status: IndexStatus;
  for (;;) {
    status = await background.evaluate(() => (globalThis as unknown as Hooks).lantern.badgeIndexStatus());
    // `computed`: requesters taken in; `rows` counts entries, and keys whose hashes collide
    // (about one pair at 100k) share one (marked ambiguous). Earlier builds report rows only.
    if (!status.building && status.last && (status.last.computed ?? status.last.rows) >= expected) break;
    progress(`the badge index (${expected} rows)`, status);
    await ext.waitForTimeout(100);
  }
  // tsx keeps function names with a `__name` helper, which page.evaluate'd code then lacks.
  await browser.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await browser.route(`${PAGE_URL}**`, (route) => {
    const start = new URL(route.request().url()).searchParams.get('start');
    return route.fulfill({ contentType: 'text/html', body: start === null ? shell(warmup) : page(Number(start)) });
  });
  console.log(`${name}: replica and badge index of ${status.last!.rows.toLocaleString()} requesters, built whole in ${status.last!.ms.toFixed(0)} ms`);
  return { name, browser, background, ext, fullBuildMs: status.last!.ms };
}

interface PageStart {
  /** Lantern's renderer main-thread time per page load: TaskDuration, with Lantern − without. */
  taskMs: number;
  /** The part of it the index's size costs: the same with the index emptied, subtracted. */
  indexTaskMs: number;
  scriptMs: number;
  /** The content script's own measures around its synchronous index work (null: none recorded). */
  indexMs: number | null;
  /** The content script's main-thread time by CPU profile (content.js frames, inclusive). */
  contentMs: number;
  /** The same with the index emptied, subtracted: what the index's size costs. */
  indexContentMs: number;
  /** The first load in a fresh tab (new renderer process): TaskDuration delta and the content script's time. */
  firstTaskMs: number;
  firstContentMs: number;
}

/**
 * The content script's own main-thread time in a CPU profile: every sample whose stack
 * holds a frame of content.js (inclusive: what it calls, the DOM work it does, counted).
 */
type CpuProfile = { nodes: { id: number; callFrame: { url: string; functionName: string; lineNumber: number }; children?: number[]; hitCount?: number }[]; samples?: number[]; timeDeltas?: number[]; startTime: number; endTime: number };

function contentScriptMs(profile: CpuProfile): number {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ours = new Map<number, boolean>();
  const isOurs = (id: number): boolean => {
    let known = ours.get(id);
    if (known === undefined) {
      const node = byId.get(id)!;
      const up = parent.get(id);
      known = node.callFrame.url.endsWith('/content.js') || (up !== undefined && isOurs(up));
      ours.set(id, known);
    }
    return known;
  };
  let us = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the delta to the next sample.
  for (let i = 0; i < samples.length; i++) if (isOurs(samples[i]!)) us += deltas[i + 1] ?? 0;
  return us / 1000;
}

interface Tab {
  page: Page;
  cdp: CDPSession;
}

/** A tab whose renderer's metrics and CPU profile the bench reads, load after load. */
async function openTab(browser: BrowserContext): Promise<Tab> {
  const page = await browser.newPage();
  const cdp = await browser.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  return { page, cdp };
}

/**
 * Main-thread time of loading `url` in `tab` until `ready` holds: CDP's renderer metrics
 * and a CPU profile. The tab's earlier loads warmed its renderer process, as a worker's
 * own task-list tab is warm when a page monitor reloads it.
 */
async function loadCost({ page, cdp }: Tab, url: string, ready: (page: Page) => Promise<unknown>): Promise<{ task: number; script: number; index: number | null; content: number; profile: CpuProfile }> {
  const metric = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const of = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    return { task: of('TaskDuration') * 1000, script: of('ScriptDuration') * 1000 };
  };
  const before = await metric();
  await cdp.send('Profiler.start');
  await page.goto(url);
  await ready(page).catch(async (error: unknown) => {
    const seen = await page.evaluate(() => [...document.querySelectorAll('lantern-badge')].map((b) => `${b.getAttribute('data-lantern-level')}/${b.getAttribute('data-lantern-details')}`).join(' '));
    throw new Error(`${url}: not ready (badges: ${seen || 'none'})`, { cause: error });
  });
  const { profile } = await cdp.send('Profiler.stop');
  const after = await metric();
  const index = await page.evaluate(() => {
    const marks = performance.getEntriesByName('lantern:index');
    return marks.length ? marks.reduce((sum, m) => sum + m.duration, 0) : null;
  });
  return { task: after.task - before.task, script: after.script - before.script, index, content: contentScriptMs(profile as CpuProfile), profile: profile as CpuProfile };
}

const fullAnswers = (page: Page) => page.locator('lantern-badge[data-lantern-details="full"]').nth(PAGE_START_ROWS - 1).waitFor();
const plainReady = (page: Page) => page.locator('li.hit-set-table-row').nth(PAGE_START_ROWS - 1).waitFor();

/**
 * Page loads of the 20-row list, each to every full answer, minus the same list without
 * Lantern: the first in a fresh tab (a new renderer process: its one-offs, such as the
 * first Intl format, fall to whoever formats first), then one load per offset in the
 * same tab, as a page monitor reloads it (the medians).
 */
async function pageLoadCosts(subject: Subject, baselineUrl: string, offsets: number[]) {
  const task: number[] = [];
  const script: number[] = [];
  const index: number[] = [];
  const content: number[] = [];
  const lantern = await openTab(subject.browser);
  const plain = await openTab(subject.browser);
  try {
    const firstWith = await loadCost(lantern, `${PAGE_URL}?start=${offsets[0]}`, fullAnswers);
    const firstWithout = await loadCost(plain, `${baselineUrl}/plain?start=${offsets[0]}`, plainReady);
    for (const start of offsets) {
      const withLantern = await loadCost(lantern, `${PAGE_URL}?start=${start}`, fullAnswers);
      const without = await loadCost(plain, `${baselineUrl}/plain?start=${start}`, plainReady);
      task.push(withLantern.task - without.task);
      script.push(withLantern.script - without.script);
      if (withLantern.index !== null) index.push(withLantern.index);
      content.push(withLantern.content);
    }
    return {
      task: median(task),
      script: median(script),
      index: index.length ? median(index) : null,
      content: median(content),
      first: { task: firstWith.task - firstWithout.task, content: firstWith.content },
    };
  } finally {
    await lantern.page.close();
    await plain.page.close();
  }
}

/**
 * Runs `work` with the stored badge index (either format) replaced by an empty one of the
 * same shape, then puts it back: what a page load costs for the index's size alone.
 */
async function withEmptyIndex<T>(subject: Subject, work: () => Promise<T>): Promise<T> {
  type Storage = { get(k: null): Promise<Record<string, unknown>>; set(v: object): Promise<void> };
  const saved = await subject.background.evaluate(async () => {
    const storage = (globalThis as unknown as { chrome: { storage: { local: Storage } } }).chrome.storage.local;
    const index = Object.fromEntries(Object.entries(await storage.get(null)).filter(([key]) => key.startsWith('badgeIndex')));
    const empty: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(index)) {
      if (key === 'badgeIndex.meta') empty[key] = { ...(value as object), requesters: 0 };
      else if (key === 'badgeIndex') empty[key] = { ...(value as object), requesters: 0, pairs: '' };
      else empty[key] = '';
    }
    await storage.set(empty);
    return index;
  });
  try {
    return await work();
  } finally {
    await subject.background.evaluate((index) => (globalThis as unknown as { chrome: { storage: { local: Storage } } }).chrome.storage.local.set(index), saved);
  }
}

async function measurePageStart(subject: Subject, baselineUrl: string, offsets: number[]): Promise<PageStart> {
  const withIndex = await pageLoadCosts(subject, baselineUrl, offsets);
  const emptyIndex = await withEmptyIndex(subject, () => pageLoadCosts(subject, baselineUrl, offsets));
  return {
    taskMs: withIndex.task,
    indexTaskMs: withIndex.task - emptyIndex.task,
    scriptMs: withIndex.script,
    indexMs: withIndex.index,
    contentMs: withIndex.content,
    indexContentMs: withIndex.content - emptyIndex.content,
    firstTaskMs: withIndex.first.task,
    firstContentMs: withIndex.first.content,
  };
}

/** The background's time to take a delta of DELTA changed requesters into the index (the last write's). */
async function measureDelta(subject: Subject, keys: string[]): Promise<number> {
  return subject.background.evaluate(async (wanted) => {
    const { lantern } = globalThis as unknown as Hooks;
    const rows = [...(await lantern.replica.getRows(wanted)).values()].map((row) => {
      const changed = [...row];
      changed[1] = `${String(changed[1]).slice(0, 150)} (renamed)`;
      return changed;
    });
    await lantern.replica.applyChanges(rows, [], null, {});
    while (lantern.badgeIndexStatus().building) await new Promise((r) => setTimeout(r, 5));
    return lantern.badgeIndexStatus().last!;
  }, keys).then((last) => {
    console.log(`${subject.name}: index after a delta: ${JSON.stringify(last)}`);
    return last.ms;
  });
}

async function measureSizes(subject: Subject, ids: string[], baselineUrl: string | null) {
  const table: { rows: number; badges: number; details: number; baseline: number | null; coldBaseline: number | null; longLived: number | null }[] = [];
  let offset = 1;
  for (const size of SIZES) {
    const badges: number[] = [];
    const details: number[] = [];
    const base: number[] = [];
    const cold: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Requesters this page has never shown, each run on a fresh page.
      const slice = ids.slice(offset, offset + size);
      offset = ((offset + size) % (ids.length - size - 1)) + 1;
      const page = await subject.browser.newPage();
      await page.goto(PAGE_URL);
      await page.locator('lantern-badge[data-lantern-details="full"]').first().waitFor();
      // The tab reads the index's meta at page start; time new rows on a page that has it.
      while ((await tabIndexSize(subject.ext)) === null) await subject.ext.waitForTimeout(5);
      const times = await timeLantern(page, slice);
      badges.push(times.badges);
      details.push(times.details);
      if (baselineUrl) {
        await page.goto(`${baselineUrl}/page`);
        base.push(await timeBaseline(page, slice, baselineUrl));
        // As earlier runs of this bench measured it: the page's first draw, one-offs and all.
        await page.goto(`${baselineUrl}/page`);
        cold.push(await timeBaseline(page, slice, baselineUrl, false));
      }
      await page.close();
    }
    // A page open a while that keeps adding rows (content/badge-hints.ts reads the whole
    // index at its first such rows): its next new rows, timed.
    const later: number[] = [];
    for (let run = 0; run < LONG_LIVED_RUNS && subject.name === 'now'; run++) {
      const page = await subject.browser.newPage();
      await page.goto(PAGE_URL);
      await page.locator('lantern-badge[data-lantern-details="full"]').first().waitFor();
      while ((await tabIndexInfo(subject.ext)).openMs <= 5_000) await subject.ext.waitForTimeout(100);
      // One new row of an unread shard makes the tab read the whole index; another if a row
      // happened to fall in a shard it held. A minute at most.
      const deadline = Date.now() + 60_000;
      while ((await tabIndexInfo(subject.ext)).shards !== 4096) {
        if (Date.now() > deadline) throw new Error('the long-lived page never read the whole index');
        await timeLantern(page, ids.slice(offset, offset + 1));
        offset = ((offset + 1) % (ids.length - size - 1)) + 1;
        await subject.ext.waitForTimeout(200);
      }
      const slice = ids.slice(offset, offset + size);
      offset = ((offset + size) % (ids.length - size - 1)) + 1;
      later.push((await timeLantern(page, slice)).badges);
      await page.close();
    }
    table.push({ rows: size, badges: median(badges), details: median(details), baseline: base.length ? median(base) : null, coldBaseline: cold.length ? median(cold) : null, longLived: later.length ? median(later) : null });
  }
  return table;
}

/**
 * `--profile [--profile-rows N]`: a CPU profile (CDP Profiler, 50 µs sampling) of N (100) new
 * rows getting their badges and full answers, written to bench-results/page-N-<subject>.cpuprofile, with the functions
 * that took the most time by themselves printed.
 */
async function profileDrawing(subject: Subject, ids: string[]): Promise<void> {
  const page = await subject.browser.newPage();
  await page.goto(PAGE_URL);
  await page.locator('lantern-badge[data-lantern-details="full"]').first().waitFor();
  while ((await tabIndexSize(subject.ext)) === null) await subject.ext.waitForTimeout(5);
  const cdp = await subject.browser.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await timeLantern(page, ids);
  const { profile } = await cdp.send('Profiler.stop');
  await page.close();
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(join('bench-results', `page-${ids.length}-${subject.name}.cpuprofile`), JSON.stringify(profile));
  printSelfTimes(`${subject.name}: ${ids.length} rows, most self time (ms):`, profile as CpuProfile);
}

/** The functions that took the most time by themselves in a CPU profile. */
function printSelfTimes(title: string, profile: CpuProfile): void {
  const interval = profile.samples && profile.samples.length > 1 ? (profile.endTime - profile.startTime) / profile.samples.length / 1000 : 0.05;
  const self = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (node.hitCount ?? 0) * interval);
  }
  console.log(`\n${title}`);
  for (const [name, ms] of [...self].filter(([name]) => !name.startsWith('(idle)') && !name.startsWith('(program)')).sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${ms.toFixed(2).padStart(7)}  ${name}`);
}

/** `--profile-start`: one page load of the 20-row list, profiled, its top functions printed. */
async function profilePageStart(subject: Subject, start: number): Promise<void> {
  const tab = await openTab(subject.browser);
  try {
    const fresh = await loadCost(tab, `${PAGE_URL}?start=${start}`, fullAnswers);
    const reload = await loadCost(tab, `${PAGE_URL}?start=${start + PAGE_START_ROWS}`, fullAnswers);
    mkdirSync('bench-results', { recursive: true });
    writeFileSync(join('bench-results', `page-start-fresh-${subject.name}.cpuprofile`), JSON.stringify(fresh.profile));
    writeFileSync(join('bench-results', `page-start-reload-${subject.name}.cpuprofile`), JSON.stringify(reload.profile));
    printSelfTimes(`${subject.name}: first page load in a fresh tab, content script ${fresh.content.toFixed(1)} ms; most self time (ms):`, fresh.profile);
    printSelfTimes(`${subject.name}: the next load in that tab, content script ${reload.content.toFixed(1)} ms; most self time (ms):`, reload.profile);
  } finally {
    await tab.page.close();
  }
}

/** Builds the extension of an earlier checkout into its own dist folder; returns the extension's folder. */
function buildBefore(checkout: string): string {
  const dist = resolve(`${process.env.LANTERN_DIST ?? 'dist'}-before`);
  execFileSync('npx', ['tsx', '-e', "import('./scripts/build.ts').then((m) => m.build({ quiet: true, testHooks: true }))"], {
    cwd: checkout,
    env: { ...process.env, LANTERN_DIST: dist, LANTERN_TEST_HOOKS: '1' },
    stdio: 'inherit',
  });
  return join(dist, 'extension');
}

async function main(): Promise<void> {
  await build({ quiet: true, testHooks: true, dev: values.dev });
  const beforeDir = values.before ? buildBefore(values.before) : null;
  const dir = join('data', 'bench-page', String(process.pid));
  mkdirSync(dir, { recursive: true });
  const database = join(dir, 'lantern.sqlite');
  console.log(`Loading ${REQUESTERS.toLocaleString()} requesters…`);
  const driver = openSqliteDriver(database);
  await migrate(driver, undefined, Date.now());
  const data = await loadBenchData(driver, { requesters: REQUESTERS, reviews: REQUESTERS * 2, now: Date.now() });
  console.log(`Loaded ${data.requesterKeys.length.toLocaleString()} requesters, ${data.reviews.toLocaleString()} reviews`);
  await driver.close();
  const mturkKeys = data.requesterKeys.filter((k: string) => k.startsWith('mturk:'));
  const mturkIds = mturkKeys.map((k: string) => k.slice('mturk:'.length));
  const listOf = (start: number) => shell(mturkIds[0]!).replace(rowsHtml([mturkIds[0]!]), rowsHtml(mturkIds.slice(start, start + PAGE_START_ROWS)));
  const server = await startServer({ host: '127.0.0.1', port: 0, database, logLevel: 'warn', rateLimits: false });
  const baseline = await baselineServer(listOf, mturkIds[0]!);
  const results = new BenchResults('page', { quick: values.quick, extra: { requesters: REQUESTERS, runs: RUNS, before: values.before ?? null } });
  const subjects: Subject[] = [];
  try {
    subjects.push(await prepare('now', EXTENSION_DIR, server.url, listOf, mturkIds[0]!, data.requesterKeys.length));
    if (beforeDir) subjects.push(await prepare('before', beforeDir, server.url, listOf, mturkIds[0]!, data.requesterKeys.length));
    const startOffsets = Array.from({ length: RUNS }, (_, i) => 1 + ((i * 997) % (mturkIds.length - PAGE_START_ROWS - 1)));
    const deltaKeys = (i: number) => mturkKeys.slice(1 + i * DELTA, 1 + (i + 1) * DELTA);
    const report: Record<string, { start: PageStart; delta: number; full: number; table: Awaited<ReturnType<typeof measureSizes>> }> = {};
    for (const subject of subjects) {
      const start = await measurePageStart(subject, baseline.url, startOffsets);
      const deltas: number[] = [];
      for (let i = 0; i < 3; i++) deltas.push(await measureDelta(subject, deltaKeys(i)));
      const table = await measureSizes(subject, mturkIds, subject.name === 'now' ? baseline.url : null);
      if (values['profile-start']) await profilePageStart(subject, startOffsets[0]!);
      if (values.profile) await profileDrawing(subject, mturkIds.slice(5000, 5000 + Number(values['profile-rows'])));
      report[subject.name] = { start, delta: median(deltas), full: subject.fullBuildMs, table };
    }

    for (const [name, r] of Object.entries(report)) {
      const perMinute = 600 / Math.max(r.start.contentMs, 0.01);
      console.log(`\n${name}: page start (${PAGE_START_ROWS}-row task list, to every full answer): Lantern's main-thread time ${r.start.taskMs.toFixed(1)} ms (TaskDuration delta; ScriptDuration ${r.start.scriptMs.toFixed(1)} ms); the index's ${REQUESTERS.toLocaleString()} requesters cost ${r.start.indexTaskMs.toFixed(1)} ms of it (same, index emptied, subtracted)` + (r.start.indexMs !== null ? `; the content script's own measures of its index work: ${r.start.indexMs.toFixed(2)} ms` : ''));
      console.log(`${name}: the content script's own main-thread time per page load (CPU profile, content.js frames inclusive): ${r.start.contentMs.toFixed(1)} ms; with the index emptied, ${(r.start.contentMs - r.start.indexContentMs).toFixed(1)} ms`);
      console.log(`${name}: the first load in a fresh tab (a new renderer process): Lantern's main-thread time ${r.start.firstTaskMs.toFixed(1)} ms, the content script's ${r.start.firstContentMs.toFixed(1)} ms`);
      console.log(`${name}: ${perMinute.toFixed(0)} page loads a minute (reloads in the same tab) before the content script costs 1 % of a core (600 ms a minute)`);
      console.log(`${name}: index after a delta of ${DELTA.toLocaleString()} changed requesters: ${r.delta.toFixed(0)} ms of background time; built whole: ${r.full.toFixed(0)} ms`);
    }
    const now = report.now!;
    const columns = ['rows', 'Lantern: badges drawn', 'Lantern: full answers in', 'baseline (HTTP lookup)', 'speed-up (badges / full)', 'ms per row', 'cold baseline', 'vs cold (badges / full)', 'badges, page open a while'];
    const widths = [6, 24, 27, 25, 27, 12, 15, 25, 28];
    const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('');
    console.log(`\n${line(columns)}`);
    for (const r of now.table) {
      const base = r.baseline!;
      const cold = r.coldBaseline!;
      console.log(line([String(r.rows), `${r.badges.toFixed(1)} ms`, `${r.details.toFixed(1)} ms`, `${base.toFixed(1)} ms`, `${(base / r.badges).toFixed(1)}× / ${(base / r.details).toFixed(1)}×`, (r.badges / r.rows).toFixed(3), `${cold.toFixed(1)} ms`, `${(cold / r.badges).toFixed(1)}× / ${(cold / r.details).toFixed(1)}×`, r.longLived === null ? '' : `${r.longLived.toFixed(1)} ms (${(base / r.longLived).toFixed(1)}×)`]));
    }
    if (report.before) {
      console.log('\nbefore (same run, same instruments):');
      for (const r of report.before.table) console.log(line([String(r.rows), `${r.badges.toFixed(1)} ms`, `${r.details.toFixed(1)} ms`, '', '', (r.badges / r.rows).toFixed(3)]));
    }
    console.log(`\nMedians of ${RUNS} runs each, new requesters on a fresh page each run. Page open a while: a page ${LONG_LIVED_RUNS} times kept open 5.5 s, given one new row (it then reads the whole index), then timed with new rows. Baseline: the page has drawn once before (as Lantern's has); cold baseline: its first draw, as this bench measured it before (it then also pays the renderer's first Intl format and first badge styles).`);

    results.figure('page start: Lantern main-thread time per page load (CDP TaskDuration delta)', now.start.taskMs, 'ms');
    results.figure('page start: ScriptDuration delta', now.start.scriptMs, 'ms');
    results.figure(`page start: the index's ${REQUESTERS} requesters (CDP TaskDuration, index emptied, subtracted)`, now.start.indexTaskMs, 'ms');
    if (now.start.indexMs !== null) results.figure('page start: content script index work (own measures)', now.start.indexMs, 'ms');
    results.figure('page start: content script main-thread time (CPU profile, content.js inclusive)', now.start.contentMs, 'ms');
    results.figure('first load in a fresh tab: Lantern main-thread time (TaskDuration delta)', now.start.firstTaskMs, 'ms');
    results.figure('first load in a fresh tab: content script (CPU profile)', now.start.firstContentMs, 'ms');
    results.figure('page start: content script time the index costs (profile, index emptied, subtracted)', now.start.indexContentMs, 'ms');
    results.figure("page loads a minute before the content script's own time costs 1 % of a core", 600 / Math.max(now.start.contentMs, 0.01), 'loads/min');
    results.figure(`index update after ${DELTA} changes`, now.delta, 'ms');
    results.figure('index built whole', now.full, 'ms');
    results.target(`page start ≤ 5 ms (content-script main-thread time the index of ${REQUESTERS.toLocaleString()} requesters costs a page load: CPU profile, index emptied, subtracted)`, now.start.indexContentMs, '<=', 5, 'ms');
    results.target(`index update after ${DELTA.toLocaleString()} changes ≤ 50 ms`, now.delta, '<=', 50, 'ms');
    for (const r of now.table) results.target(`badges drawn vs baseline, ${r.rows} rows ≥ 10×`, r.baseline! / r.badges, '>=', 10, '×');
    for (const r of now.table) if (r.longLived !== null) results.figure(`badges drawn on a page open a while (whole index read), ${r.rows} rows: vs baseline`, r.baseline! / r.longLived, '×');
    // Full answers (the background's reply: reasons, counts, banners; issue 15 item 2).
    const full100 = now.table.find((r) => r.rows === 100);
    if (full100) results.target('full answers in, 100 rows ≤ 15 ms', full100.details, '<=', 15, 'ms');
    for (const r of now.table) results.target(`full answers vs baseline, ${r.rows} rows ≥ 4×`, r.baseline! / r.details, '>=', 4, '×');
    results.table('badges', now.table.map((r) => ({ rows: r.rows, badges: r.badges, details: r.details, baseline: r.baseline, coldBaseline: r.coldBaseline, longLivedPage: r.longLived })));
    if (report.before) {
      const before = report.before;
      results.figure('before: page start main-thread time (CDP TaskDuration delta)', before.start.taskMs, 'ms');
      results.figure('before: page start, content script main-thread time (CPU profile)', before.start.contentMs, 'ms');
      results.figure(`before: page start, content script time the index of ${REQUESTERS} requesters costs (profile, index emptied, subtracted)`, before.start.indexContentMs, 'ms');
      results.figure('before: first load in a fresh tab, content script (CPU profile)', before.start.firstContentMs, 'ms');
      results.figure('page start, content script: before / now', before.start.contentMs / Math.max(now.start.contentMs, 0.01), '×');
      results.figure(`before: page start, the index's ${REQUESTERS} requesters (CDP, index emptied, subtracted)`, before.start.indexTaskMs, 'ms');
      results.figure(`before: index after ${DELTA} changes`, before.delta, 'ms');
      results.figure('index after a delta: before / now', before.delta / now.delta, '×');
      results.table('badges before', before.table.map((r) => ({ rows: r.rows, badges: r.badges, details: r.details })));
      for (const [i, r] of now.table.entries()) results.figure(`badges drawn ${r.rows} rows: before / now`, before.table[i]!.badges / r.badges, '×');
      for (const [i, r] of now.table.entries()) results.figure(`full answers ${r.rows} rows: before / now`, before.table[i]!.details / r.details, '×');
    }
    results.write();
  } finally {
    for (const subject of subjects) await subject.browser.close();
    await baseline.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
