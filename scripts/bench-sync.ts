/**
 * `npm run bench:sync [-- --quick] [--requesters N] [--reviews N] [--runs N]`
 *
 * The extension's sync in real Chromium against the real server on loopback: the first
 * snapshot of 100k requesters into IndexedDB (time, bytes), a delta of 1,000 changed
 * requesters, and an idle poll (time, bytes). Baseline, in the same run and the same
 * service worker: fetching and JSON-parsing the same snapshot without validating or
 * storing it — the floor any sync must pay — so the ratio shows what validation and
 * IndexedDB cost. Delta and idle poll are timed inside the worker (`syncNow()` from start
 * to its end: fetch, check, write, rules, overlay, next alarm); the snapshot from the
 * options page's "server set" to the sync's end. Figures and targets go to
 * bench-results/sync.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Request } from 'playwright';
import { build } from './build.js';
import { loadBenchData } from './bench-server-data.js';
import { BenchResults } from './bench-results.js';
import { backgroundOf, extensionPage, launchWithExtension, sendUi } from '../e2e/browser.js';
import { migrate } from '../src/server/storage/migrate.js';
import { openSqliteDriver } from '../src/server/storage/sqlite-driver.js';
import { review as validReview } from '../src/server/testing/builders.js';
import { startServer } from '../src/server/index.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    requesters: { type: 'string' },
    reviews: { type: 'string' },
    changes: { type: 'string', default: '1000' },
    runs: { type: 'string' },
  },
});
const RUNS = Number(values.runs ?? (values.quick ? 3 : 5));
const REQUESTERS = Number(values.requesters ?? (values.quick ? 10_000 : 100_000));
const REVIEWS = Number(values.reviews ?? (values.quick ? 50_000 : 1_000_000));
const CHANGES = Number(values.changes);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
type Hooks = { lantern: { syncNow(): Promise<void> } };

interface Status {
  sync: { state: string; rows: number; lastError: string | null; lastSyncAt: number | null };
}

async function main(): Promise<void> {
  await build({ quiet: true, testHooks: true });
  const dir = join('data', 'bench-sync', String(process.pid));
  mkdirSync(dir, { recursive: true });
  const database = join(dir, 'lantern.sqlite');
  console.log(`Loading ${REQUESTERS.toLocaleString()} requesters, ${REVIEWS.toLocaleString()} reviews…`);
  const driver = openSqliteDriver(database);
  await migrate(driver, undefined, Date.now());
  const data = await loadBenchData(driver, { requesters: REQUESTERS, reviews: REVIEWS, now: Date.now() });
  await driver.close();

  const server = await startServer({ host: '127.0.0.1', port: 0, database, logLevel: 'warn', rateLimits: false, snapshotMaxAgeMs: 600_000 });
  const browser = await launchWithExtension();
  try {
    const background = await backgroundOf(browser);
    const page = await extensionPage(browser, background);
    const bytesBy = new Map<string, number>();
    browser.on('requestfinished', (request: Request) => {
      void request.sizes().then((sizes) => {
        const path = new URL(request.url()).pathname;
        bytesBy.set(path, (bytesBy.get(path) ?? 0) + sizes.responseBodySize + sizes.responseHeadersSize);
      });
    });
    const waitIdle = async (previous: number | null) => {
      for (;;) {
        const status = await sendUi<Status & { sync: { lastSyncAt: number | null } }>(page, 'ui/status');
        if (status.sync.lastError) throw new Error(status.sync.lastError);
        if (status.sync.state === 'idle' && status.sync.lastSyncAt !== previous) return status;
        await page.waitForTimeout(20);
      }
    };

    // Baseline: fetch + parse only, in the service worker. The first fetch builds and
    // caches the snapshot on the server; the timed one is what every client then sees.
    const fetchAndParse = () =>
      background.evaluate(async (url) => {
        const start = performance.now();
        const body = (await (await fetch(`${url}/v1/sync/snapshot`)).json()) as { rows: unknown[] };
        if (!body.rows.length) throw new Error('empty snapshot');
        return performance.now() - start;
      }, server.url);
    await fetchAndParse();
    const baselines: number[] = [];
    for (let i = 0; i < RUNS; i++) baselines.push(await fetchAndParse());
    const baselineMs = median(baselines);
    bytesBy.clear();

    // First snapshot, through the options page's path (settings-set starts the sync).
    const start = Date.now();
    await sendUi(page, 'ui/settings-set', { serverUrl: server.url });
    let status = await waitIdle(null);
    /** Seen from outside: from the options page's "server set" to the status saying idle (20 ms polls). */
    const snapshotWallMs = Date.now() - start;
    if (status.sync.rows !== REQUESTERS) throw new Error(`replica has ${status.sync.rows} rows, expected ${REQUESTERS}`);
    await page.waitForTimeout(200); // let the size callbacks settle
    const snapshotBytes = bytesBy.get('/v1/sync/snapshot') ?? 0;
    // Whatever the snapshot set off (the badge index build) is done before the next timing.
    await page.waitForTimeout(2000);

    /** Where the last sync's time went: its `lantern-sync:<phase>` measures (sync.ts), summed per phase. */
    const phases = () =>
      background.evaluate(() => {
        const sums: Record<string, number> = {};
        for (const e of performance.getEntriesByType('measure')) {
          if (e.name.startsWith('lantern-sync:')) sums[e.name.slice('lantern-sync:'.length)] = Math.round(((sums[e.name.slice('lantern-sync:'.length)] ?? 0) + e.duration) * 10) / 10;
        }
        return sums;
      });
    const phaseTable: Array<Record<string, string | number | null>> = [];
    const snapshotPhases = await phases();
    phaseTable.push({ sync: 'first snapshot (+ its catch-up delta)', ...snapshotPhases });
    /** The sync itself, in the worker, from its start to its end (as delta and idle poll are timed). */
    const snapshotMs = snapshotPhases.total ?? snapshotWallMs;

    /** One sync, timed in the worker from its start to its end. */
    const timedSync = async () => {
      const ms = await background.evaluate(async () => {
        const begin = performance.now();
        await (globalThis as unknown as Hooks).lantern.syncNow();
        return performance.now() - begin;
      });
      const after = await sendUi<Status>(page, 'ui/status');
      if (after.sync.lastError) throw new Error(after.sync.lastError);
      return ms;
    };

    // A delta of CHANGES requesters: one new review each, written through the API.
    for (let i = 0; i < CHANGES; i++) {
      const key = data.requesterKeys[i * Math.floor(REQUESTERS / CHANGES)]!;
      const response = await fetch(`${server.url}/v1/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${data.benchSecrets[i % data.benchSecrets.length]}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify(validReview({ requester: key, taskId: `S${randomUUID().slice(0, 18)}` })),
      });
      if (!response.ok) throw new Error(`review POST: ${response.status} ${await response.text()}`);
    }
    bytesBy.clear();
    const deltaMs = await timedSync();
    phaseTable.push({ sync: `delta of ${CHANGES}`, ...(await phases()) });
    status = await sendUi<Status>(page, 'ui/status');
    if (status.sync.rows !== REQUESTERS) throw new Error(`replica has ${status.sync.rows} rows after the delta, expected ${REQUESTERS}`);
    await page.waitForTimeout(200);
    const deltaBytes = bytesBy.get('/v1/sync/changes') ?? 0;
    await page.waitForTimeout(1000); // the badge index mends after the delta: not the idle poll's time

    bytesBy.clear();
    const idles: number[] = [];
    for (let i = 0; i < RUNS; i++) idles.push(await timedSync());
    const idleMs = median(idles);
    phaseTable.push({ sync: 'idle poll (last)', ...(await phases()) });
    await page.waitForTimeout(200);
    const idleBytes = (bytesBy.get('/v1/sync/changes') ?? 0) / RUNS;

    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const rows = [
      ['baseline: fetch + parse snapshot only', `${baselineMs.toFixed(0)} ms`, '', ''],
      [`first snapshot, ${REQUESTERS.toLocaleString()} requesters`, `${snapshotMs.toFixed(0)} ms`, kb(snapshotBytes), `${(snapshotMs / baselineMs).toFixed(2)}× baseline`],
      ['  the same, from "server set" to status idle', `${snapshotWallMs} ms`, '', `${(snapshotWallMs / baselineMs).toFixed(2)}× baseline`],
      [`delta, ${CHANGES.toLocaleString()} changed requesters`, `${deltaMs.toFixed(0)} ms`, kb(deltaBytes), `${(deltaMs / baselineMs).toFixed(2)}× baseline`],
      [`idle poll (no changes), median of ${RUNS}`, `${idleMs.toFixed(1)} ms`, `${idleBytes.toFixed(0)} B`, ''],
    ];
    console.log(`\n${'scenario'.padEnd(44)}${'time'.padStart(10)}${'bytes'.padStart(12)}  ratio`);
    for (const [a, b, c, d] of rows) console.log(`${a!.padEnd(44)}${b!.padStart(10)}${c!.padStart(12)}  ${d}`);
    console.log('\nWhere the time went (ms, measured in the worker):');
    console.table(phaseTable);

    const results = new BenchResults('sync', { quick: values.quick, extra: { requesters: REQUESTERS, reviews: REVIEWS, changes: CHANGES, runs: RUNS } });
    results.figure('baseline: fetch + JSON.parse of the snapshot (median)', baselineMs, 'ms');
    results.figure('first snapshot (the sync in the worker)', snapshotMs, 'ms');
    results.figure('first snapshot, from "server set" to status idle', snapshotWallMs, 'ms');
    results.figure('first snapshot bytes', snapshotBytes, 'B');
    results.figure(`delta of ${CHANGES}`, deltaMs, 'ms');
    results.figure(`delta of ${CHANGES} bytes`, deltaBytes, 'B');
    results.figure('idle poll (median)', idleMs, 'ms');
    results.figure('idle poll bytes', idleBytes, 'B');
    results.target('first snapshot ÷ baseline', snapshotMs / baselineMs, '<=', 2, '×');
    results.target('first snapshot on the wire', snapshotBytes / 1024 / 1024, '<=', 4, 'MB');
    results.target(`delta of ${CHANGES} ÷ baseline`, deltaMs / baselineMs, '<=', 0.2, '×');
    results.target('idle poll', idleMs, '<=', 50, 'ms');
    results.target('idle poll on the wire', idleBytes, '<=', 1024, 'B');
    results.table('phases (ms)', phaseTable);
    results.write();
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
