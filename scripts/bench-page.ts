/**
 * `npm run bench:page [-- --quick]`
 *
 * How fast badges appear, in real Chromium with the built extension and a local replica
 * of 100k requesters (synced from the real server): the time from N task rows landing in
 * the DOM to every row's badge rendered, for 20, 100 and 1,000 rows. Baseline, in the same
 * run and browser: the way earlier tools worked — one HTTP lookup per page scan to a
 * server on loopback (ids in the query, JSON back), then badges drawn in the page.
 */
import http from 'node:http';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright';
import { backgroundOf, extensionPage, launchWithExtension, sendUi } from '../e2e/browser.js';
import { migrate } from '../src/server/storage/migrate.js';
import { openSqliteDriver } from '../src/server/storage/sqlite-driver.js';
import { startServer } from '../src/server/index.js';
import { loadBenchData } from './bench-server-data.js';
import { build } from './build.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, runs: { type: 'string' } } });
const REQUESTERS = values.quick ? 10_000 : 100_000;
const RUNS = Number(values.runs ?? (values.quick ? 5 : 15));
const SIZES = [20, 100, 1000];
const PAGE_URL = 'https://worker.mturk.com/';

function rowsHtml(ids: string[]): string {
  return ids
    .map(
      (id, i) =>
        `<li class="table-row hit-set-table-row"><div class="desktop-row"><span class="p-x-sm column text-truncate requester-column"><span><a class="show-visited" href="/requesters/${id}/projects?ref=w_pl_prvw">Requester ${i}</a></span></span><span class="project-name-column">Task ${i}</span><span class="reward-column">$0.50</span></div></li>`,
    )
    .join('');
}

/** An MTurk-like task list with one warm-up row, so the content script is known to be running. */
function shell(warmupId: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>HITs</title></head><body>
<div data-react-class="require('reactComponents/hitSetTable/HitSetTable')['default']" data-react-props="{}"><ol class="hit-set-table">${rowsHtml([warmupId])}</ol></div>
<div id="baseline"></div></body></html>`;
}

/**
 * A Turkopticon-style lookup API: GET /lookup?ids=A,B,… → {id: scores}. It also serves the
 * baseline's task page (GET /page), so the page's lookup is same-origin: Chromium blocks a
 * public site's requests to loopback, which would otherwise make the baseline fail.
 */
function baselineServer(scores: Map<string, string>, page: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/page') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    const ids = url.searchParams.get('ids')?.split(',') ?? [];
    const body: Record<string, string> = {};
    for (const id of ids) body[id] = scores.get(id) ?? 'none';
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'access-control-allow-private-network': 'true' });
    res.end(JSON.stringify(body));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

/** Inserts the rows and resolves with ms until every new row shows a Lantern badge. */
async function timeLantern(page: Page, ids: string[]): Promise<number> {
  return page.evaluate(
    ({ html, count }) =>
      new Promise<number>((resolve) => {
        const list = document.querySelector('ol.hit-set-table')!;
        const before = document.querySelectorAll('lantern-badge[data-lantern-level]').length;
        // Resolve at the DOM change that completes the set: no frame-rate rounding.
        const observer = new MutationObserver(() => {
          if (document.querySelectorAll('lantern-badge[data-lantern-level]').length >= before + count) {
            observer.disconnect();
            resolve(performance.now() - start);
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-lantern-level'] });
        const start = performance.now();
        list.insertAdjacentHTML('beforeend', html);
      }),
    { html: rowsHtml(ids), count: ids.length },
  );
}

/** The earlier tools' way, run in the page: collect ids, one HTTP lookup, draw badges. */
async function timeBaseline(page: Page, ids: string[], api: string): Promise<number> {
  return page.evaluate(
    async ({ html, api: url }) => {
      const holder = document.getElementById('baseline')!;
      const start = performance.now();
      holder.innerHTML = `<ol>${html}</ol>`;
      const links = [...holder.querySelectorAll<HTMLAnchorElement>('.requester-column a')];
      const found = links.map((a) => a.getAttribute('href')!.split('/')[2]!);
      const scores = (await (await fetch(`${url}/lookup?ids=${[...new Set(found)].join(',')}`)).json()) as Record<string, string>;
      links.forEach((a, i) => {
        const badge = document.createElement('span');
        badge.textContent = scores[found[i]!] ?? '?';
        a.after(badge);
      });
      return performance.now() - start;
    },
    { html: rowsHtml(ids), api },
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  await build({ quiet: true });
  const dir = join('data', 'bench-page', String(process.pid));
  mkdirSync(dir, { recursive: true });
  const database = join(dir, 'lantern.sqlite');
  console.log(`Loading ${REQUESTERS.toLocaleString()} requesters…`);
  const driver = openSqliteDriver(database);
  await migrate(driver, undefined, Date.now());
  const data = await loadBenchData(driver, { requesters: REQUESTERS, reviews: REQUESTERS * 2, now: Date.now() });
  await driver.close();
  const mturkIds = data.requesterKeys.filter((k) => k.startsWith('mturk:')).map((k) => k.slice('mturk:'.length));
  const server = await startServer({ host: '127.0.0.1', port: 0, database, logLevel: 'warn', rateLimits: false });
  const baseline = await baselineServer(new Map(mturkIds.map((id) => [id, '4.1/5'])), shell(mturkIds[0]!));
  const browser = await launchWithExtension();
  try {
    const background = await backgroundOf(browser);
    const ext = await extensionPage(browser, background);
    await sendUi(ext, 'ui/settings-set', { serverUrl: server.url });
    for (;;) {
      const status = await sendUi<{ sync: { state: string; rows: number; lastError: string | null } }>(ext, 'ui/status');
      if (status.sync.lastError) throw new Error(status.sync.lastError);
      if (status.sync.state === 'idle') {
        console.log(`Replica: ${status.sync.rows.toLocaleString()} requesters`);
        break;
      }
      await ext.waitForTimeout(100);
    }
    // tsx keeps function names with a `__name` helper, which page.evaluate'd code then lacks.
    await browser.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await browser.route(`${PAGE_URL}**`, (route) => route.fulfill({ contentType: 'text/html', body: shell(mturkIds[0]!) }));

    const table: { rows: number; lantern: number; warm: number; baseline: number }[] = [];
    let offset = 1;
    for (const size of SIZES) {
      const lantern: number[] = [];
      const warm: number[] = [];
      const base: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        // Fresh requesters each run: nothing cached in the page; a new page each run.
        const ids = mturkIds.slice(offset, offset + size);
        offset = (offset + size) % (mturkIds.length - size - 1) + 1;
        const page = await browser.newPage();
        await page.goto(PAGE_URL);
        await page.locator('lantern-badge[data-lantern-level]').first().waitFor();
        lantern.push(await timeLantern(page, ids));
        // The same requesters on a new page, as when a worker reloads or pages back.
        await page.goto(PAGE_URL);
        await page.locator('lantern-badge[data-lantern-level]').first().waitFor();
        warm.push(await timeLantern(page, ids));
        await page.goto(`${baseline.url}/page`);
        base.push(await timeBaseline(page, ids, baseline.url));
        await page.close();
      }
      table.push({ rows: size, lantern: median(lantern), warm: median(warm), baseline: median(base) });
    }
    console.log(`\n${'rows'.padStart(6)}${'Lantern, new requesters'.padStart(25)}${'Lantern, seen before'.padStart(22)}${'baseline (HTTP lookup)'.padStart(25)}${'speed-up (new/seen)'.padStart(21)}${'ms per row'.padStart(12)}`);
    for (const r of table) {
      const ratio = `${(r.baseline / r.lantern).toFixed(1)}× / ${(r.baseline / r.warm).toFixed(1)}×`;
      console.log(
        `${String(r.rows).padStart(6)}${`${r.lantern.toFixed(1)} ms`.padStart(25)}${`${r.warm.toFixed(1)} ms`.padStart(22)}${`${r.baseline.toFixed(1)} ms`.padStart(25)}${ratio.padStart(21)}${(r.lantern / r.rows).toFixed(3).padStart(12)}`,
      );
    }
    console.log(`\nMedians of ${RUNS} runs each. Targets: 100 rows ≤ 30 ms; ≥ 5× faster than the baseline; linear in rows.`);
  } finally {
    await browser.close();
    await baseline.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
