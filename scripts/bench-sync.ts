/**
 * `npm run bench:sync [-- --quick] [--requesters N] [--reviews N]`
 *
 * The extension's sync in real Chromium against the real server on loopback: the first
 * snapshot of 100k requesters into IndexedDB (time, bytes), a delta of 1,000 changed
 * requesters, and an idle poll (bytes). Baseline, in the same run and the same service
 * worker: fetching and JSON-parsing the same snapshot without validating or storing it —
 * the floor any sync must pay — so the ratio shows what validation and IndexedDB cost.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Request } from 'playwright';
import { build } from './build.js';
import { loadBenchData } from './bench-server-data.js';
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
  },
});
const REQUESTERS = Number(values.requesters ?? (values.quick ? 10_000 : 100_000));
const REVIEWS = Number(values.reviews ?? (values.quick ? 50_000 : 1_000_000));
const CHANGES = Number(values.changes);

interface Status {
  sync: { state: string; rows: number; lastError: string | null };
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
    const baselineMs = await fetchAndParse();
    bytesBy.clear();

    // First snapshot, through the options page's path (settings-set starts the sync).
    let start = Date.now();
    await sendUi(page, 'ui/settings-set', { serverUrl: server.url });
    let status = await waitIdle(null);
    const snapshotMs = Date.now() - start;
    if (status.sync.rows !== REQUESTERS) throw new Error(`replica has ${status.sync.rows} rows, expected ${REQUESTERS}`);
    await page.waitForTimeout(200); // let the size callbacks settle
    const snapshotBytes = bytesBy.get('/v1/sync/snapshot') ?? 0;

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
    const before = (await sendUi<{ sync: { lastSyncAt: number } }>(page, 'ui/status')).sync.lastSyncAt;
    start = Date.now();
    await sendUi(page, 'ui/sync-now');
    status = await waitIdle(before);
    const deltaMs = Date.now() - start;
    await page.waitForTimeout(200);
    const deltaBytes = bytesBy.get('/v1/sync/changes') ?? 0;

    bytesBy.clear();
    const idleBefore = (await sendUi<{ sync: { lastSyncAt: number } }>(page, 'ui/status')).sync.lastSyncAt;
    start = Date.now();
    await sendUi(page, 'ui/sync-now');
    await waitIdle(idleBefore);
    const idleMs = Date.now() - start;
    await page.waitForTimeout(200);
    const idleBytes = bytesBy.get('/v1/sync/changes') ?? 0;

    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const rows = [
      ['baseline: fetch + parse snapshot only', `${baselineMs.toFixed(0)} ms`, '', ''],
      [`first snapshot, ${REQUESTERS.toLocaleString()} requesters`, `${snapshotMs} ms`, kb(snapshotBytes), `≤ 5000 ms, ≤ 4096 KB; ${(snapshotMs / baselineMs).toFixed(1)}× baseline`],
      [`delta, ${CHANGES.toLocaleString()} changed requesters`, `${deltaMs} ms`, kb(deltaBytes), ''],
      ['idle poll (no changes)', `${idleMs} ms`, `${idleBytes} B`, '≤ 1024 B'],
    ];
    console.log(`\n${'scenario'.padEnd(40)}${'time'.padStart(10)}${'bytes'.padStart(12)}  target`);
    for (const [a, b, c, d] of rows) console.log(`${a!.padEnd(40)}${b!.padStart(10)}${c!.padStart(12)}  ${d}`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
