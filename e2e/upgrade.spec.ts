/**
 * Upgrading from release 0.1.0: this build meets, in real Chromium, the stored state the
 * release left in a worker's profile (e2e/fixtures/stored-state/release-0.1.0.json,
 * captured by scripts/capture-stored-state.ts from the release's own build) — and keeps
 * the server address, account, thresholds, blocklist, filters, work log, replica and the
 * queued outbox, which then reaches a real server exactly once.
 *
 * How the old state gets in front of the new code, truthfully: the fixture is restored into
 * a profile by a *stub* of the extension — the same folder, so the same extension id and
 * the same storage and IndexedDB origin, but whose service worker is an empty file. Nothing
 * of this build has run in that profile: the stub writes extension storage and creates the
 * IndexedDB database at the release's version (2) with the release's stores, indexes and
 * records. The browser is closed, the folder's contents replaced by this build (with a
 * later version), and the browser started again on the same profile: Chromium loads the
 * changed extension in place as an update (same id, data kept, the new service worker
 * registered and started at once), and this build's background starts on the release's state — IndexedDB's onupgradeneeded runs from the release's version if this
 * build raised it, and the stored-state upgrade runs from version 1 (no version stored).
 * Writing the fixture from this build's own running background instead would have let it
 * initialise first (open IndexedDB at its own version, write its defaults), which is not
 * what an update meets.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BrowserContext, Worker } from '@playwright/test';
import type { StoredStateFixture } from '../scripts/capture-stored-state.js';
import { DB_VERSION } from '../src/background/db.js';
import { STORED_STATE_VERSION } from '../src/core/extension-state.js';
import { sha256Hex } from '../src/server/http/guards.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { openStorage } from '../src/server/storage/sql-storage.js';
import { backgroundOf, EXTENSION_DIR, expect, extensionPage, FIXTURES_DIR, launchWithExtension, profileDir, sendUi, test } from './harness.js';

const RELEASE = JSON.parse(readFileSync(join(FIXTURES_DIR, 'stored-state', 'release-0.1.0.json'), 'utf8')) as StoredStateFixture;
const local = RELEASE.storageLocal as { settings: Record<string, unknown>; account: { secret: string } };
const storeOf = (name: string) => RELEASE.indexedDB.stores.find((s) => s.name === name)!;
const releaseMeta = storeOf('meta').records.find(([key]) => key === 'sync')![1] as { version: string; checksum: { rows: number } };

/**
 * Fills `dir` with this build, or with the stub whose service worker runs nothing. The stub
 * carries the release's version; this build a later one (this checkout still says 0.1.0
 * until the next release is cut, so a fourth part is added). Chromium treats only a new
 * version as an update: with the same one it keeps the stub's service worker registered.
 */
function installInto(dir: string, what: 'stub' | 'build'): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const release = RELEASE.capturedFrom.manifestVersion;
  if (what === 'build') {
    if (manifest.version === release) writeFileSync(path, JSON.stringify({ ...manifest, version: `${release}.1` }));
    return;
  }
  manifest.version = release;
  manifest.background = { service_worker: 'restore-stub.js' };
  delete manifest.content_scripts;
  writeFileSync(path, JSON.stringify(manifest));
  writeFileSync(join(dir, 'restore-stub.js'), '// Restores a stored-state fixture (e2e/upgrade.spec.ts): runs nothing of Lantern.\n');
}

/** Writes the fixture from inside the stub's (empty) service worker. */
async function restore(stub: Worker, fixture: Pick<StoredStateFixture, 'storageLocal' | 'indexedDB'>): Promise<void> {
  await stub.evaluate(async ({ storageLocal, indexedDB: dump }) => {
    const chromeApi = (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void>; get(k: null): Promise<object> } } } }).chrome;
    await chromeApi.storage.local.set(storageLocal);
    await new Promise<void>((ok, fail) => {
      const open = indexedDB.open(dump.name, dump.version);
      open.onupgradeneeded = () => {
        for (const store of dump.stores) {
          const created = open.result.createObjectStore(store.name, { keyPath: store.keyPath ?? undefined, autoIncrement: store.autoIncrement });
          for (const index of store.indexes) created.createIndex(index.name, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
        }
      };
      open.onerror = () => fail(open.error);
      open.onsuccess = () => {
        const database = open.result;
        const tx = database.transaction(dump.stores.map((s) => s.name), 'readwrite');
        for (const store of dump.stores) {
          for (const [key, value] of store.records) {
            if (store.keyPath === null) tx.objectStore(store.name).put(value, key as IDBValidKey);
            else tx.objectStore(store.name).put(value);
          }
        }
        tx.oncomplete = () => {
          database.close();
          ok();
        };
        tx.onerror = () => fail(tx.error);
      };
    });
  }, fixture);
}

/** A profile holding `fixture` as an update finds it, and the folder the extension loads from. */
async function profileWith(fixture: Pick<StoredStateFixture, 'storageLocal' | 'indexedDB'>): Promise<{ profile: string; extensionDir: string }> {
  const profile = profileDir();
  const extensionDir = join(mkdtempSync(join(tmpdir(), 'lantern-upgrade-')), 'extension');
  installInto(extensionDir, 'stub');
  const context = await launchWithExtension(profile, extensionDir, { keepWelcome: true });
  try {
    const stub = await backgroundOf(context);
    expect(stub.url()).toMatch(/\/restore-stub\.js$/);
    await restore(stub, fixture);
  } finally {
    await context.close();
  }
  installInto(extensionDir, 'build');
  return { profile, extensionDir };
}

interface UpgradeReport {
  from: number;
  to: number;
  problems: { field: string; problem: string }[];
  failed?: string;
}

/** Starts this build on the profile; its background's upgrade report once it has run. */
async function startUpgraded(profile: string, extensionDir: string): Promise<{ context: BrowserContext; background: Worker; report: UpgradeReport }> {
  const context = await launchWithExtension(profile, extensionDir);
  const background = await backgroundOf(context);
  expect(background.url()).toMatch(/\/background\.js$/);
  const report = await background.evaluate(() => (globalThis as unknown as { lantern: { storedStateReady(): Promise<UpgradeReport> } }).lantern.storedStateReady());
  return { context, background, report };
}

/** The release's server address, with a fresh database that knows the release's account. */
async function serverAtReleaseAddress(): Promise<{ server: RunningServer; database: string }> {
  const database = join(mkdtempSync(join(tmpdir(), 'lantern-upgrade-server-')), 'lantern.sqlite');
  const storage = await openStorage(database);
  await storage.createAccount(sha256Hex(local.account.secret), Date.now());
  await storage.close();
  const port = Number(new URL(RELEASE.server.url).port);
  const server = await startServer({ host: '127.0.0.1', port, database, logLevel: 'warn', rateLimits: false, snapshotMaxAgeMs: 0, advisedWaitSeconds: 30 });
  expect(server.url).toBe(RELEASE.server.url);
  return { server, database };
}

test('release 0.1.0 state survives the update; its queued outbox reaches the server exactly once', async () => {
  test.setTimeout(120_000);
  const { profile, extensionDir } = await profileWith(RELEASE);
  const { context, background, report } = await startUpgraded(profile, extensionDir);
  let running: RunningServer | null = null;
  try {
    expect(report).toMatchObject({ from: 1, to: STORED_STATE_VERSION, problems: [] });
    expect(report.failed).toBeUndefined();
    const ui = await extensionPage(context, background);

    // Everything the worker set, as they set it (the server is still down).
    expect(await sendUi(ui, 'ui/settings-get')).toEqual(local.settings);
    expect(await sendUi(ui, 'ui/account-get')).toEqual({ recoveryCode: local.account.secret });
    const status = await sendUi<{ serverUrl: string; sync: { version: string; rows: number }; outbox: { id: string; state: string }[] }>(ui, 'ui/status');
    expect(status.serverUrl).toBe(RELEASE.server.url);
    expect(status.sync).toMatchObject({ version: releaseMeta.version, rows: releaseMeta.checksum.rows });
    expect(status.outbox.map((i) => [i.id, i.state])).toEqual(RELEASE.worker.queuedOutboxIds.map((id) => [id, 'queued']));
    // The replica answers from the release's rows (names come from it alone, never the server).
    const replicaKeys = storeOf('rowsB').records.flatMap(([, bucket]) => Object.keys((bucket as { rows: object }).rows));
    const names = await sendUi<{ names: Record<string, string> }>(ui, 'ui/requester-names', { keys: replicaKeys });
    expect(Object.keys(names.names).sort()).toEqual([...replicaKeys].sort());
    const log = await sendUi<{ entries: { taskId: string }[] }>(ui, 'ui/work-log-query', { limit: 50 });
    expect(log.entries.map((e) => e.taskId)).toEqual(RELEASE.worker.workLogTaskIds);
    // The version is now stored; IndexedDB is at this build's version; nothing needed repair.
    const stored = await background.evaluate(async () => {
      const chromeApi = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome;
      const version = await new Promise<number>((ok) => {
        const open = indexedDB.open('lantern');
        open.onsuccess = () => {
          ok(open.result.version);
          open.result.close();
        };
      });
      return { marker: (await chromeApi.storage.local.get('storedState')).storedState, version };
    });
    expect(stored).toMatchObject({ marker: { version: STORED_STATE_VERSION, from: 1 }, version: DB_VERSION });
    const diagnostics = await sendUi<{ counts: Record<string, number> }>(ui, 'ui/diagnostics');
    expect(Object.keys(diagnostics.counts).filter((k) => k.startsWith('storage/'))).toEqual([]);

    // The server comes back at the release's address: the queue is delivered, once.
    const { server, database } = await serverAtReleaseAddress();
    running = server;
    await sendUi(ui, 'ui/sync-now');
    await expect.poll(async () => (await sendUi<{ outbox: unknown[] }>(ui, 'ui/status')).outbox.length).toBe(0);
    // Asked to send again (the alarm, a restart): nothing is left to send twice.
    await background.evaluate(() => (globalThis as unknown as { lantern: { flushOutbox(force: boolean): Promise<void> } }).lantern.flushOutbox(true));
    const sqlite = new Database(database, { readonly: true });
    try {
      const account = sqlite.prepare('SELECT id FROM accounts WHERE secret_hash = ?').get(sha256Hex(local.account.secret)) as { id: string };
      const keys = sqlite.prepare('SELECT key FROM idempotency WHERE account_id = ? ORDER BY key').all(account.id) as { key: string }[];
      expect(keys.map((k) => k.key)).toEqual([...RELEASE.worker.queuedOutboxIds].sort());
      const reviews = sqlite.prepare('SELECT task_id FROM reviews WHERE account_id = ? ORDER BY task_id').all(account.id) as { task_id: string }[];
      expect(reviews.map((r) => r.task_id)).toEqual(['3QUEUED1TASK', '3QUEUED2TASK']);
      const flags = sqlite.prepare('SELECT requester_key, reason FROM requester_flags WHERE account_id = ?').all(account.id);
      expect(flags).toEqual([{ requester_key: 'mturk:A3BLOCKEDSCAM01', reason: 'phishing' }]);
    } finally {
      sqlite.close();
    }
  } finally {
    await context.close();
    await running?.close();
  }
});

test('one unknown and one broken settings field from another release: every other field is kept, both are reported', async () => {
  const settings = local.settings as { platforms: object; thresholds: { minHourlyCents: object } };
  const changed = {
    ...RELEASE,
    storageLocal: {
      ...RELEASE.storageLocal,
      // A later release's third platform, and a threshold outside this release's bounds.
      settings: { ...settings, platforms: { ...settings.platforms, upwork: true }, thresholds: { ...settings.thresholds, minRating: 9 } },
    },
  };
  const { profile, extensionDir } = await profileWith(changed);
  const { context, background, report } = await startUpgraded(profile, extensionDir);
  try {
    expect(report.problems).toEqual([
      { field: 'settings.thresholds.minRating', problem: 'invalid' },
      { field: 'settings.platforms.upwork', problem: 'unknown' },
    ]);
    const ui = await extensionPage(context, background);
    // minRating alone falls back to its default (no rating filter); the rest is the release's.
    expect(await sendUi(ui, 'ui/settings-get')).toEqual({ ...local.settings, thresholds: { ...settings.thresholds, minRating: null } });

    // The options page says what was repaired, among its diagnostics.
    const options = await context.newPage();
    await options.goto(ui.url().replace('popup.html', 'options.html'));
    const unknown = options.locator('tr[data-diagnostic="storage/settings.platforms.upwork/unknown"]');
    await expect(unknown).toContainText('Saved data');
    await expect(unknown).toContainText('settings.platforms.upwork');
    await expect(unknown).toContainText('Unknown here: left out');
    const invalid = options.locator('tr[data-diagnostic="storage/settings.thresholds.minRating/invalid"]');
    await expect(invalid).toContainText('settings.thresholds.minRating');
    await expect(invalid).toContainText('Unreadable: its default is used');
  } finally {
    await context.close();
  }
});
