/**
 * Field-by-field reading of every stored record: a bad or unknown field is repaired alone
 * and named, its siblings are kept. Starts from release 0.1.0's records as captured in a
 * real profile (e2e/fixtures/stored-state/release-0.1.0.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Settings, type OutboxItem } from '../../core/extension-state.js';
import type { SyncMeta } from '../db.js';
import { DEFAULT_SETTINGS } from './defaults.js';
import { readAccount, readOutboxItem, readSettings, readSyncMeta } from './records.js';

const RELEASE = JSON.parse(readFileSync(new URL('../../../e2e/fixtures/stored-state/release-0.1.0.json', import.meta.url), 'utf8')) as {
  storageLocal: { settings: Settings; account: { secret: string } };
  indexedDB: { stores: { name: string; records: [unknown, unknown][] }[] };
};
const SETTINGS = RELEASE.storageLocal.settings;
const recordsOf = (store: string) => RELEASE.indexedDB.stores.find((s) => s.name === store)!.records.map(([, value]) => value);
const OUTBOX = recordsOf('outbox') as OutboxItem[];
const META = (RELEASE.indexedDB.stores.find((s) => s.name === 'meta')!.records.find(([key]) => key === 'sync')![1]) as SyncMeta;
const INITIAL: SyncMeta = { active: 'rowsA', version: null, checksum: { rows: 0, sum: 0 }, rulesVersion: 1, bucketPrefixLength: 0, lastSyncAt: null, nextSyncAt: null, lastError: null, failures: 0, snapshotProgress: null };

describe('settings, field by field', () => {
  it("reads release 0.1.0's settings as they are, with nothing to repair", () => {
    expect(SETTINGS.blocklist).toHaveLength(2);
    expect(readSettings(SETTINGS, DEFAULT_SETTINGS)).toEqual({ value: SETTINGS, problems: [] });
  });

  it('upgrade never resets: one extra and one broken key, every other field kept', () => {
    const stored = { ...SETTINGS, payFloorMode: 'strict', filterMode: 'blur' };
    // Release 0.1.0 read settings as one strict object: this one reset to defaults whole.
    expect(Settings.safeParse(stored).success).toBe(false);
    const { value, problems } = readSettings(stored, DEFAULT_SETTINGS);
    expect(value).toEqual({ ...SETTINGS, filterMode: DEFAULT_SETTINGS.filterMode });
    expect(problems).toEqual([
      { field: 'settings.filterMode', problem: 'invalid' },
      { field: 'settings.payFloorMode', problem: 'unknown' },
    ]);
  });

  it('an unknown nested key (a third platform) is dropped and reported; both platforms keep their choice', () => {
    const { value, problems } = readSettings({ ...SETTINGS, platforms: { ...SETTINGS.platforms, upwork: true } }, DEFAULT_SETTINGS);
    expect(value.platforms).toEqual({ mturk: true, prolific: false });
    expect(value).toEqual(SETTINGS);
    expect(problems).toEqual([{ field: 'settings.platforms.upwork', problem: 'unknown' }]);
  });

  it('an invalid threshold falls back alone: the other threshold, the server and the blocklist stay', () => {
    const { value, problems } = readSettings({ ...SETTINGS, thresholds: { ...SETTINGS.thresholds, minRating: 9 } }, DEFAULT_SETTINGS);
    expect(value.thresholds).toEqual({ minHourlyCents: SETTINGS.thresholds.minHourlyCents, minRating: null });
    expect(value.serverUrl).toBe(SETTINGS.serverUrl);
    expect(value.blocklist).toEqual(SETTINGS.blocklist);
    expect(problems).toEqual([{ field: 'settings.thresholds.minRating', problem: 'invalid' }]);
  });

  it('one currency of the minimum pay is read alone: a bad one takes its default, an unknown one goes', () => {
    const { value, problems } = readSettings({ ...SETTINGS, thresholds: { ...SETTINGS.thresholds, minHourlyCents: { USD: -5, GBP: 800, CAD: 1000 } } }, DEFAULT_SETTINGS);
    expect(value.thresholds.minHourlyCents).toEqual({ USD: DEFAULT_SETTINGS.thresholds.minHourlyCents.USD, GBP: 800 });
    expect(problems).toEqual([
      { field: 'settings.thresholds.minHourlyCents.USD', problem: 'invalid' },
      { field: 'settings.thresholds.minHourlyCents.CAD', problem: 'unknown' },
    ]);
  });

  it('the blocklist is kept when a sibling field is invalid; a bad entry goes alone', () => {
    const badEntry = { key: 'not a requester key', name: 'x', addedOn: '2026-11-02' };
    const { value, problems } = readSettings({ ...SETTINGS, serverUrl: 'http://example.com', blocklist: [SETTINGS.blocklist[0], badEntry, SETTINGS.blocklist[1]] }, DEFAULT_SETTINGS);
    expect(value.blocklist).toEqual(SETTINGS.blocklist);
    expect(value.serverUrl).toBe(DEFAULT_SETTINGS.serverUrl);
    expect(value.thresholds).toEqual(SETTINGS.thresholds);
    expect(problems).toEqual([
      { field: 'settings.serverUrl', problem: 'invalid' },
      { field: 'settings.blocklist[1]', problem: 'invalid' },
    ]);
  });

  it('a field a release added is filled from the defaults, silently; a record that is no object falls back whole, named', () => {
    const { workLog: _gone, ...older } = SETTINGS;
    expect(readSettings(older, DEFAULT_SETTINGS)).toEqual({ value: { ...SETTINGS, workLog: DEFAULT_SETTINGS.workLog }, problems: [] });
    expect(readSettings('garbage', DEFAULT_SETTINGS)).toEqual({ value: DEFAULT_SETTINGS, problems: [{ field: 'settings', problem: 'invalid' }] });
  });
});

describe('account', () => {
  it('keeps the secret, drops an unknown key', () => {
    const { secret } = RELEASE.storageLocal.account;
    expect(readAccount({ secret })).toEqual({ value: { secret }, problems: [] });
    expect(readAccount({ secret, createdAt: 5 })).toEqual({ value: { secret }, problems: [{ field: 'account.createdAt', problem: 'unknown' }] });
    expect(readAccount(undefined)).toEqual({ value: null, problems: [] });
  });

  it('an unreadable secret is no account, and says so', () => {
    expect(readAccount({ secret: 42 })).toEqual({ value: null, problems: [{ field: 'account.secret', problem: 'invalid' }] });
    expect(readAccount({})).toEqual({ value: null, problems: [{ field: 'account.secret', problem: 'invalid' }] });
  });
});

describe('outbox items', () => {
  it("reads release 0.1.0's queued items as they are", () => {
    expect(OUTBOX).toHaveLength(3);
    for (const item of OUTBOX) expect(readOutboxItem(item)).toEqual({ value: item, problems: [] });
  });

  it('bookkeeping falls back field by field; the submission and id are kept', () => {
    const item = OUTBOX[0]!;
    const { value, problems } = readOutboxItem({ ...item, attempts: -1, state: 'sending', priority: 'high' });
    expect(value).toEqual({ ...item, attempts: 0, state: 'queued' });
    expect(problems).toEqual([
      { field: 'outbox.attempts', problem: 'invalid' },
      { field: 'outbox.state', problem: 'invalid' },
      { field: 'outbox.priority', problem: 'unknown' },
    ]);
  });

  it("text 0.1.0 queued with characters today's rules refuse is mended and the item is read (so it is sent), named as mended", () => {
    const item = OUTBOX[0]! as OutboxItem & { submission: { kind: 'review'; payload: Record<string, unknown> } };
    const payload = { ...item.submission.payload, requesterName: 'Fair Pay\tLab\n', taskTitle: 'Answer\u0000 a survey', text: 'Pasted\u000bfrom Word\u0007 \ud800 ok' };
    const stored = { ...item, submission: { kind: 'review', payload } };
    const { value, problems } = readOutboxItem(stored);
    expect(value?.submission).toEqual({
      kind: 'review',
      payload: { ...item.submission.payload, requesterName: 'Fair Pay Lab', taskTitle: 'Answer\ufffd a survey', text: 'Pasted\nfrom Word\ufffd \ufffd ok' },
    });
    expect({ ...value, submission: null }).toEqual({ ...item, submission: null });
    expect(problems).toEqual([{ field: 'outbox.submission', problem: 'mended' }]);
    // The stored record itself is not changed by reading it.
    expect(payload.text).toBe('Pasted\u000bfrom Word\u0007 \ud800 ok');
  });

  it('mending touches text only: a submission unreadable for another reason is still not guessed at', () => {
    const item = OUTBOX[0]! as OutboxItem & { submission: { kind: 'review'; payload: Record<string, unknown> } };
    const stored = { ...item, submission: { kind: 'review', payload: { ...item.submission.payload, text: 'bad\u0000', minutes: -3 } } };
    expect(readOutboxItem(stored)).toEqual({ value: null, problems: [{ field: 'outbox.submission', problem: 'invalid' }] });
  });

  it('a submission this version cannot read is not guessed at', () => {
    expect(readOutboxItem({ ...OUTBOX[0], submission: { kind: 'tip', payload: {} } })).toEqual({ value: null, problems: [{ field: 'outbox.submission', problem: 'invalid' }] });
  });
});

describe('the sync record', () => {
  it("reads release 0.1.0's record as it is", () => {
    expect(META.version).toMatch(/\.\d+$/);
    expect(readSyncMeta(META, INITIAL)).toEqual({ value: META, problems: [] });
    expect(readSyncMeta(undefined, INITIAL)).toEqual({ value: INITIAL, problems: [] });
  });

  it('a schedule field falls back alone; the replica stays', () => {
    const { value, problems } = readSyncMeta({ ...META, failures: 'many', lastError: 7 }, INITIAL);
    expect(value).toEqual({ ...META, failures: 0, lastError: null });
    expect(problems).toEqual([
      { field: 'meta.lastError', problem: 'invalid' },
      { field: 'meta.failures', problem: 'invalid' },
    ]);
  });

  it('a field naming the replica itself drops the version (a fresh snapshot next), keeping the store in use', () => {
    const { value, problems } = readSyncMeta({ ...META, checksum: { rows: -1 } }, INITIAL);
    expect(value).toEqual({ ...META, version: null, checksum: INITIAL.checksum, snapshotProgress: null });
    expect(value.active).toBe(META.active);
    expect(problems).toEqual([{ field: 'meta.checksum', problem: 'invalid' }]);
  });
});
