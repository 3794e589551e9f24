/**
 * The upgrade a background start runs, on release 0.1.0's stored state as captured from a
 * real profile (e2e/fixtures/stored-state/release-0.1.0.json): extension storage in a fake
 * of browser.storage, IndexedDB in fake-indexeddb created at the release's version with
 * the release's stores — then this version's db.ts opens it (its own upgrade steps run
 * from there) and the stored-state upgrade meets it.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { STORED_STATE_VERSION, type OutboxItem, type Settings } from '../../core/extension-state.js';

const fake = vi.hoisted(() => {
  const data = new Map<string, unknown>();
  const listeners: ((changes: Record<string, unknown>, area: string) => void)[] = [];
  const changed = (keys: string[]) => {
    const changes = Object.fromEntries(keys.map((k) => [k, { newValue: data.get(k) }]));
    for (const listener of listeners) listener(changes, 'local');
  };
  const local = {
    get: async (keys: string | string[] | null) => {
      const wanted = keys === null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(wanted.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))]));
    },
    set: async (items: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
      changed(Object.keys(items));
    },
    remove: async (keys: string | string[]) => {
      const list = Array.isArray(keys) ? keys : [keys];
      for (const k of list) data.delete(k);
      changed(list);
    },
  };
  /** Puts values in as another release left them; the modules' caches hear of it (a new start has none). */
  const replace = (items: Record<string, unknown>) => {
    const keys = [...new Set([...data.keys(), ...Object.keys(items)])];
    data.clear();
    for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    changed(keys);
  };
  return { data, local, listeners, replace };
});
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: { local: fake.local, onChanged: { addListener: (l: (typeof fake.listeners)[number]) => fake.listeners.push(l) } },
    alarms: { create: async () => undefined, get: async () => undefined },
  },
}));

const { db, deleteDatabase, readMeta } = await import('../db.js');
const { getDiagnostics } = await import('../diagnostics.js');
const { getSecret } = await import('../account.js');
const { getRules, getSettings, setRules, updateSettings } = await import('../settings.js');
const { listOutbox, listUnreadableOutbox } = await import('../outbox.js');
const { STEPS, migrateLocal, VERSION_KEY } = await import('./migrations.js');
const { repairedSettings, resetUpgradeForTests, storedStateReady, UNREADABLE_ACCOUNTS_KEY } = await import('./upgrade.js');
const { DEFAULT_RULES, Rules } = await import('../../core/rules.js');
const { Settings: SettingsSchema } = await import('../../core/extension-state.js');
const { DEFAULT_SETTINGS } = await import('./defaults.js');

interface Dump {
  storageLocal: Record<string, unknown> & { settings: Settings; account: { secret: string } };
  indexedDB: { name: string; version: number; stores: { name: string; keyPath: string | string[] | null; autoIncrement: boolean; indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[]; records: [IDBValidKey, unknown][] }[] };
}
const RELEASE = JSON.parse(readFileSync(new URL('../../../e2e/fixtures/stored-state/release-0.1.0.json', import.meta.url), 'utf8')) as Dump;
const storeOf = (name: string) => RELEASE.indexedDB.stores.find((s) => s.name === name)!;
const OUTBOX = storeOf('outbox').records.map(([, v]) => v as OutboxItem);
const META = storeOf('meta').records.find(([k]) => k === 'sync')![1];

/** Puts a dump where the release left it: extension storage, and IndexedDB at the release's version. */
async function restore(dump: Dump): Promise<void> {
  fake.replace(dump.storageLocal);
  await new Promise<void>((ok, fail) => {
    const open = indexedDB.open(dump.indexedDB.name, dump.indexedDB.version);
    open.onupgradeneeded = () => {
      for (const store of dump.indexedDB.stores) {
        const created = open.result.createObjectStore(store.name, { keyPath: store.keyPath ?? undefined, autoIncrement: store.autoIncrement });
        for (const index of store.indexes) created.createIndex(index.name, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
      }
    };
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(dump.indexedDB.stores.map((s) => s.name), 'readwrite');
      for (const store of dump.indexedDB.stores) {
        for (const [key, value] of store.records) {
          if (store.keyPath === null) tx.objectStore(store.name).put(value, key);
          else tx.objectStore(store.name).put(value);
        }
      }
      tx.oncomplete = () => {
        open.result.close();
        ok();
      };
      tx.onerror = () => fail(tx.error);
    };
  });
}

/** The release's dump with some records changed, as another release or damage might leave them. */
function changed(local: Record<string, unknown>, outbox: unknown[] = OUTBOX, meta: unknown = META): Dump {
  const dump = structuredClone(RELEASE);
  Object.assign(dump.storageLocal, local);
  dump.indexedDB.stores.find((s) => s.name === 'outbox')!.records = outbox.map((item) => [(item as { id: string }).id, item]);
  dump.indexedDB.stores.find((s) => s.name === 'meta')!.records = [['sync', meta]];
  return dump;
}

/** A new background start, as far as the upgrade goes: it runs again on what is stored. */
function restart(): void {
  resetUpgradeForTests();
}

async function rawOutbox(): Promise<unknown[]> {
  return (await db()).getAll('outbox');
}

beforeEach(async () => {
  resetUpgradeForTests();
  await deleteDatabase();
  fake.replace({});
});

describe('migrations', () => {
  it('every version before this one has a step, in order', () => {
    for (let version = 1; version < STORED_STATE_VERSION; version++) expect(STEPS.filter((s) => s.from === version)).toHaveLength(1);
  });

  it("the step from version 1 keeps every record of release 0.1.0's storage", () => {
    const migrated = migrateLocal(structuredClone(RELEASE.storageLocal), 1);
    expect(migrated).toEqual(RELEASE.storageLocal);
  });
});

describe('upgrading stored state', () => {
  it('release 0.1.0 (version 1): every record kept, the version written, nothing reported', async () => {
    await restore(RELEASE);
    const report = await storedStateReady();
    expect(report).toMatchObject({ from: 1, to: STORED_STATE_VERSION, problems: [], rewritten: [VERSION_KEY] });
    expect(fake.data.get(VERSION_KEY)).toMatchObject({ version: STORED_STATE_VERSION, from: 1 });
    expect(await getSettings()).toEqual(RELEASE.storageLocal.settings);
    expect(await getSecret()).toBe(RELEASE.storageLocal.account.secret);
    expect(await listOutbox()).toEqual(OUTBOX);
    expect(await readMeta()).toEqual(META);
    expect((await db()).version).toBeGreaterThanOrEqual(RELEASE.indexedDB.version);
    expect(Object.keys(await getDiagnostics())).toEqual([]);
  });

  it('repairs field by field, writes the repairs back, counts each once; the next start finds nothing to repair', async () => {
    const settings = RELEASE.storageLocal.settings;
    const unreadable = { ...OUTBOX[2]!, submission: { kind: 'tip', payload: { cents: 50 } } };
    await restore(
      changed(
        {
          settings: { ...settings, platforms: { ...settings.platforms, upwork: true }, thresholds: { ...settings.thresholds, minRating: 9 } },
          account: { ...RELEASE.storageLocal.account, recoveryShownAt: 5 },
        },
        [{ ...OUTBOX[0]!, attempts: -3 }, OUTBOX[1]!, unreadable],
        { ...(META as object), failures: 'many' },
      ),
    );
    const report = await storedStateReady();
    expect(report.problems).toEqual([
      { field: 'settings.thresholds.minRating', problem: 'invalid' },
      { field: 'settings.platforms.upwork', problem: 'unknown' },
      { field: 'account.recoveryShownAt', problem: 'unknown' },
      { field: 'meta.failures', problem: 'invalid' },
      { field: 'outbox.attempts', problem: 'invalid' },
      { field: 'outbox.submission', problem: 'invalid' },
    ]);
    // Written back: every other field as the worker left it.
    expect(fake.data.get('settings')).toEqual({ ...settings, thresholds: { ...settings.thresholds, minRating: null } });
    expect(fake.data.get('account')).toEqual(RELEASE.storageLocal.account);
    expect(await readMeta()).toEqual({ ...(META as object), failures: 0 });
    // The unreadable item stays stored, untouched, and unsent; the others are listed.
    expect(await rawOutbox()).toContainEqual(unreadable);
    expect(await listOutbox()).toEqual([{ ...OUTBOX[0]!, attempts: 0 }, OUTBOX[1]!]);
    const counts = await getDiagnostics();
    expect(counts).toEqual({
      'storage/settings.thresholds.minRating/invalid': 1,
      'storage/settings.platforms.upwork/unknown': 1,
      'storage/account.recoveryShownAt/unknown': 1,
      'storage/meta.failures/invalid': 1,
      'storage/outbox.attempts/invalid': 1,
      'storage/outbox.submission/invalid': 1,
    });

    restart();
    const again = await storedStateReady();
    expect(again.from).toBe(STORED_STATE_VERSION);
    // Only the item this version can't read is named again (it is kept, not repaired).
    expect(again.problems).toEqual([{ field: 'outbox.submission', problem: 'invalid' }]);
    expect(again.rewritten).toEqual([]);
  });

  it('unreadable rules go (the defaults apply until the next sync fetches them); an unreadable account secret is named', async () => {
    await restore(changed({ rules: { version: 'two' }, account: { secret: 12 } }));
    const report = await storedStateReady();
    expect(report.problems).toEqual([
      { field: 'account.secret', problem: 'invalid' },
      { field: 'rules', problem: 'invalid' },
    ]);
    expect(fake.data.has('rules')).toBe(false);
    expect(await getSecret()).toBeNull();
    // The account's only copy is kept aside, not deleted.
    expect(fake.data.has('account')).toBe(false);
    expect(fake.data.get(UNREADABLE_ACCOUNTS_KEY)).toEqual([{ at: expect.any(Number), account: { secret: 12 } }]);
    expect(await getSettings()).toEqual(RELEASE.storageLocal.settings);
  });

  it("a newer release's state is read field by field and never rewritten (going forward again loses nothing)", async () => {
    const settings = { ...RELEASE.storageLocal.settings, payFloorMode: 'strict' };
    await restore(changed({ [VERSION_KEY]: { version: STORED_STATE_VERSION + 1 }, settings }));
    const report = await storedStateReady();
    expect(report).toMatchObject({ from: STORED_STATE_VERSION + 1, problems: [{ field: `${VERSION_KEY}.version`, problem: 'newer' }], rewritten: [] });
    expect(fake.data.get('settings')).toEqual(settings);
    expect(fake.data.get(VERSION_KEY)).toEqual({ version: STORED_STATE_VERSION + 1 });
    expect(await getSettings()).toEqual(RELEASE.storageLocal.settings);
  });

  it('a fresh profile: nothing to read, the version written', async () => {
    const report = await storedStateReady();
    expect(report).toMatchObject({ from: 1, problems: [], rewritten: [VERSION_KEY] });
    expect(await listOutbox()).toEqual([]);
  });
});

describe('review findings (issue 14 items 2-5)', () => {
  it('an outbox item 0.1.0 queued with a control character is mended, written back, listed and counted', async () => {
    const item = structuredClone(OUTBOX[0]!) as OutboxItem & { submission: { payload: { text: string } } };
    item.submission.payload.text = 'Pasted from Word\u000bsecond line\u0000';
    await restore(changed({}, [item, ...OUTBOX.slice(1)]));
    const report = await storedStateReady();
    expect(report.problems).toEqual([{ field: 'outbox.submission', problem: 'mended' }]);
    const listed = await listOutbox();
    expect(listed.map((i) => i.id)).toEqual(OUTBOX.map((i) => i.id));
    expect((listed[0]!.submission as { payload: { text: string } }).payload.text).toBe('Pasted from Word\nsecond line\ufffd');
    expect(((await rawOutbox()).find((i) => (i as OutboxItem).id === item.id) as typeof item).submission.payload.text).toBe('Pasted from Word\nsecond line\ufffd');
    expect(await getDiagnostics()).toMatchObject({ 'storage/outbox.submission/mended': 1 });
  });

  it('an item still unreadable is kept, never sent, and listed with its stored text to copy', async () => {
    const unreadable = { ...structuredClone(OUTBOX[0]!), id: 'unreadable-1', submission: { kind: 'tip', payload: { text: 'my words\u0000' } } };
    await restore(changed({}, [...OUTBOX, unreadable]));
    await storedStateReady();
    expect((await listOutbox()).map((i) => i.id)).toEqual(OUTBOX.map((i) => i.id));
    const listed = await listUnreadableOutbox();
    expect(listed).toEqual([{ id: 'unreadable-1', raw: expect.stringContaining('my words\\u0000') }]);
    expect(JSON.parse(listed[0]!.raw)).toEqual(unreadable.submission);
    expect(await rawOutbox()).toContainEqual(unreadable);
  });

  it('twenty blocks at once (tabs) all land: settings writes run one at a time, each on the last', async () => {
    await restore(RELEASE);
    await storedStateReady();
    const before = RELEASE.storageLocal.settings.blocklist;
    const keys = Array.from({ length: 20 }, (_, i) => `mturk:A1CONCURRENT${String(i).padStart(3, '0')}`);
    await Promise.all(
      keys.map((key) => updateSettings(({ blocklist }) => ({ blocklist: [...blocklist, { key: key as never, name: key, addedOn: '2026-12-04' }] }))),
    );
    const stored = fake.data.get('settings') as Settings;
    expect(stored.blocklist.map((e) => e.key)).toEqual([...before.map((e) => e.key), ...keys]);
    expect((await getSettings()).blocklist).toHaveLength(before.length + 20);
  });

  it('a write refused by the schema changes nothing, and the next write still runs', async () => {
    await restore(RELEASE);
    await expect(updateSettings({ filterMode: 'blur' as never })).rejects.toThrow();
    expect(fake.data.get('settings')).toEqual(RELEASE.storageLocal.settings);
    expect((await updateSettings({ filterMode: 'hide' })).filterMode).toBe('hide');
  });

  it('when the readers and the schema disagree, the settings are not written back (the blocklist stays); the problem is named', () => {
    const stored = RELEASE.storageLocal.settings;
    expect(stored.blocklist.length).toBeGreaterThan(0);
    const disagreeing = SettingsSchema.check((s) => {
      if (s.value.blocklist.length > 0) s.issues.push({ code: 'custom', message: 'disagrees', input: s.value });
    });
    const result = repairedSettings(stored, { ...stored, extra: 1 }, disagreeing);
    expect(result).toEqual({ write: null, problems: [{ field: 'settings', problem: 'unchecked' }] });
    // With the real schema the same repair is written.
    expect(repairedSettings(stored, { ...stored, extra: 1 }).write).toEqual(stored);
    expect(repairedSettings('garbage', undefined).write).toEqual(DEFAULT_SETTINGS);
  });

  it('rules stored while the upgrade runs are not removed by it (setRules waits for it)', async () => {
    await restore(changed({ rules: { version: 'two' } }));
    const fresh: typeof DEFAULT_RULES = { ...DEFAULT_RULES, version: DEFAULT_RULES.version + 1 };
    expect(Rules.safeParse(fresh).success).toBe(true);
    const ready = storedStateReady();
    await setRules(fresh);
    await ready;
    expect(fake.data.get('rules')).toEqual(fresh);
    expect(await getRules()).toEqual(fresh);
  });
});
