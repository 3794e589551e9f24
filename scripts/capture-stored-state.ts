/**
 * Captures what a release of the extension leaves in a worker's browser, for the upgrade
 * test (e2e/upgrade.spec.ts) to load into the next build.
 *
 * Run it from a checkout of the release (the landed code, not the code under test):
 *
 *   git worktree add /tmp/lantern-release <commit>
 *   cp scripts/capture-stored-state.ts /tmp/lantern-release/scripts/
 *   cd /tmp/lantern-release && ln -s /work/main/node_modules node_modules
 *   LANTERN_DIST=/tmp/dist-release npx tsx scripts/capture-stored-state.ts \
 *     --out /work/main/e2e/fixtures/stored-state/release-0.1.0.json
 *
 * It drives the release as a worker would, in real Chromium with that checkout's build and
 * a real server on a fixed loopback port: sets a server address, makes an account, sets
 * thresholds, a blocklist, filters and the work log's retention, syncs a replica, opens an
 * MTurk task page (a work-log entry), then stops the server and queues reviews and a flag
 * (the outbox). It then dumps extension storage and every IndexedDB store (its version,
 * key paths and indexes too) to the JSON fixture. Nothing here reads or writes the
 * extension's storage except through the release's own code.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Worker } from 'playwright';
import { createAccount, postReview, review } from '../e2e/api-client.js';
import { backgroundOf, EXTENSION_DIR, extensionPage, launchWithExtension, sendUi } from '../e2e/browser.js';
import { startServer } from '../src/server/index.js';
import { build } from './build.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The address the captured settings name; the upgrade test starts its server here again. */
const CAPTURE_PORT = 47813;

/** One IndexedDB store as dumped: enough to recreate it exactly, with every record. */
export interface DumpedStore {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[];
  /** [key, value] pairs (the key matters for stores without a key path, e.g. `meta`). */
  records: [unknown, unknown][];
}

export interface StoredStateFixture {
  capturedFrom: { commit: string; describe: string; manifestVersion: string; browser: string; capturedAt: string };
  server: { url: string; accountSecret: string };
  /** What the worker set and did, for the test to expect back. */
  worker: { queuedOutboxIds: string[]; workLogTaskIds: string[] };
  storageLocal: Record<string, unknown>;
  indexedDB: { name: string; version: number; stores: DumpedStore[] };
}

/** Reads everything the extension stores, from inside its own background. */
function dumpStoredState(background: Worker): Promise<Pick<StoredStateFixture, 'storageLocal' | 'indexedDB'>> {
  return background.evaluate(async () => {
    const chromeApi = (globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<Record<string, unknown>> } } } }).chrome;
    const storageLocal = await chromeApi.storage.local.get(null);
    const database = await new Promise<IDBDatabase>((ok, fail) => {
      const open = indexedDB.open('lantern');
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    const stores = [];
    for (const name of Array.from(database.objectStoreNames)) {
      const store = database.transaction(name).objectStore(name);
      const indexes = Array.from(store.indexNames).map((indexName) => {
        const index = store.index(indexName);
        return { name: indexName, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
      });
      const records = await new Promise<[unknown, unknown][]>((ok, fail) => {
        const rows: [unknown, unknown][] = [];
        const cursor = store.openCursor();
        cursor.onsuccess = () => {
          if (!cursor.result) return ok(rows);
          rows.push([cursor.result.primaryKey, cursor.result.value]);
          cursor.result.continue();
        };
        cursor.onerror = () => fail(cursor.error);
      });
      stores.push({ name, keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes, records });
    }
    const dumped = { storageLocal, indexedDB: { name: database.name, version: database.version, stores } };
    database.close();
    return dumped;
  });
}

const SEEDED = [
  { key: 'mturk:A2SEEDFAIRPAY01', name: 'Fair Pay Research Lab' },
  { key: 'mturk:A2SEEDSLOWPAY02', name: 'Slow Approvals Inc.' },
  { key: 'prolific:5f1e0c2a9b8d7e6f5a4b3c2d', name: 'Oxford Attention Study' },
] as const;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = resolve(values.out ?? join(ROOT, 'e2e', 'fixtures', 'stored-state', 'release-0.1.0.json'));
  await build({ quiet: true, testHooks: true });

  const database = join(mkdtempSync(join(tmpdir(), 'lantern-capture-')), 'lantern.sqlite');
  const serverOptions = { host: '127.0.0.1', port: CAPTURE_PORT, database, logLevel: 'warn', rateLimits: false as const, snapshotMaxAgeMs: 0, advisedWaitSeconds: 30 };
  const server = await startServer(serverOptions);
  const other = await createAccount(server.url);
  for (const [i, requester] of SEEDED.entries()) {
    await postReview(server.url, other, review(requester.key, requester.name, { taskId: `3SEED${i}TASK`, reward: { cents: 150 * (i + 1), currency: requester.key.startsWith('prolific:') ? 'GBP' : 'USD' } }));
  }

  const context = await launchWithExtension();
  try {
    const background = await backgroundOf(context);
    const ui = await extensionPage(context, background);
    await sendUi(ui, 'ui/settings-set', {
      serverUrl: server.url,
      thresholds: { minHourlyCents: { USD: 950, GBP: 800 }, minRating: 3.5 },
      blocklist: [
        { key: 'mturk:A3BLOCKEDSCAM01', name: 'Too Good To Be True LLC', addedOn: '2026-11-02' },
        { key: 'prolific:60aa11bb22cc33dd44ee55ff', name: 'Never Pays Lab', addedOn: '2026-11-20' },
      ],
      filterMode: 'hide',
      platforms: { mturk: true, prolific: false },
      workLog: { enabled: true, retentionDays: 60 },
      alerts: { notify: false },
    });
    const { recoveryCode } = await sendUi<{ recoveryCode: string }>(ui, 'ui/account-create');
    await sendUi(ui, 'ui/sync-now');
    const status = await sendUi<{ sync: { rows: number; version: string | null } }>(ui, 'ui/status');
    if (status.sync.rows !== SEEDED.length || !status.sync.version) throw new Error(`the replica did not sync: ${JSON.stringify(status.sync)}`);

    // A task page the worker accepted: the release's content script records it in the work log.
    const pages = JSON.parse(readFileSync(join(ROOT, 'e2e', 'fixtures', 'pages-fixtures.json'), 'utf8')) as { fixtures: Record<string, { url: string; task: { groupId: string } }> };
    const accepted = pages.fixtures['mturk-task-accepted.html']!;
    const html = readFileSync(join(ROOT, 'e2e', 'fixtures', 'mturk-task-accepted.html'), 'utf8');
    await context.route(`${new URL(accepted.url).origin}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    const page = await context.newPage();
    await page.goto(accepted.url);
    const deadline = Date.now() + 20_000;
    let logged: { entries: { taskId: string }[] } = { entries: [] };
    while (logged.entries.length === 0 && Date.now() < deadline) {
      logged = await sendUi(ui, 'ui/work-log-query', { limit: 50 });
      if (logged.entries.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    if (logged.entries.length === 0) throw new Error('the task page left nothing in the work log');
    await page.close();

    // The server goes away: what the worker sends now waits in the outbox.
    await server.close();
    const queued: string[] = [];
    const submissions = [
      { kind: 'review', payload: review(SEEDED[0].key, SEEDED[0].name, { taskId: '3QUEUED1TASK', text: 'Queued while the server was down: fair and quick.' }) },
      { kind: 'review', payload: review(SEEDED[1].key, SEEDED[1].name, { taskId: '3QUEUED2TASK', outcome: 'pending', daysToDecision: null, ratings: { pay: 2, fairness: 3, speed: 1, communication: null }, text: 'Still pending after two weeks.' }) },
      { kind: 'requester-flag', payload: { requester: 'mturk:A3BLOCKEDSCAM01', requesterName: 'Too Good To Be True LLC', reason: 'phishing', note: 'Asks for a login on an outside site.' } },
    ];
    for (const submission of submissions) {
      const sent = await sendUi<{ item: { id: string; state: string }; delivered: boolean }>(ui, 'ui/submit', { submission });
      if (sent.delivered || sent.item.state !== 'queued') throw new Error(`expected a queued item, got ${JSON.stringify(sent)}`);
      queued.push(sent.item.id);
    }

    const dumped = await dumpStoredState(background);
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { version: string };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const fixture: StoredStateFixture = {
      capturedFrom: {
        commit: git('rev-parse', 'HEAD'),
        describe: git('log', '-1', '--format=%h %s').slice(0, 120),
        manifestVersion: manifest.version,
        browser: context.browser()?.version() ?? execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim(),
        capturedAt: new Date().toISOString(),
      },
      server: { url: server.url, accountSecret: recoveryCode },
      worker: { queuedOutboxIds: queued, workLogTaskIds: logged.entries.map((e) => e.taskId) },
      ...dumped,
    };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(fixture, null, 1)}\n`);
    const counts = fixture.indexedDB.stores.map((s) => `${s.name} ${s.records.length}`).join(', ');
    console.log(`wrote ${out}: storage keys ${Object.keys(fixture.storageLocal).join(', ')}; IndexedDB v${fixture.indexedDB.version}: ${counts}`);
  } finally {
    await context.close();
    await server.close().catch(() => undefined);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
