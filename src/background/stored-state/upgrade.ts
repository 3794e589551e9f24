/**
 * Meeting stored state from another release, once per background start, before anything
 * reads it: extension storage is brought to STORED_STATE_VERSION (migrations.ts), its
 * records are checked field by field (records.ts) and written back repaired, the sync
 * record and outbox items in IndexedDB likewise, and every repair is counted in the
 * diagnostics the options page shows. Nothing is ever reset as a whole.
 *
 * The reads themselves (settings.ts, account.ts, outbox.ts, db.ts) are field by field too,
 * so a record damaged later, or a read that races this, still never loses its siblings.
 */
import browser from 'webextension-polyfill';
import * as z from 'zod/mini';
import { STORED_STATE_VERSION, type Settings } from '../../core/extension-state.js';
import { int, Rules } from '../../core/rules.js';
import { db, INITIAL_META, metaCommitted, writeMeta } from '../db.js';
import { countStoredProblems } from '../diagnostics.js';
import { DEFAULT_SETTINGS } from './defaults.js';
import type { StoredProblem } from './fields.js';
import { migrateLocal, UPGRADED_KEYS, VERSION_KEY, type StoredLocal } from './migrations.js';
import { readAccount, readOutboxItem, readSettings, readSyncMeta } from './records.js';

const StoredStateMarker = z.object({
  version: int(1),
  /** The version found before the last upgrade (1 for release 0.1.0's state). */
  from: z.optional(int(1)),
  at: z.optional(int(0)),
});

export interface UpgradeReport {
  /** The version found (1 when none was stored: release 0.1.0, or a fresh profile). */
  from: number;
  to: number;
  problems: StoredProblem[];
  /** Extension-storage keys written or removed. */
  rewritten: string[];
  /** Set when the upgrade itself failed; reads still check field by field. */
  failed?: string;
}

/** Equal as stored values, whatever the order of object keys. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return keysA.length === keysB.length && keysA.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Where an account record that can't be read is kept aside, each with when it was (a list). */
export const UNREADABLE_ACCOUNTS_KEY = 'accountUnreadable';

/**
 * The settings to write back after reading them field by field, or none. Never the
 * defaults a failed whole-schema check fell back to (`unchecked`, records.ts): written
 * back, they would replace the worker's blocklist; the problem is reported instead.
 */
export function repairedSettings(stored: unknown, found: unknown, whole?: z.ZodMiniType): { write: Settings | null; problems: StoredProblem[] } {
  const settings = readSettings(stored, DEFAULT_SETTINGS, whole);
  const unchecked = settings.problems.some((p) => p.problem === 'unchecked');
  return { write: unchecked || sameValue(settings.value, found) ? null : settings.value, problems: settings.problems };
}

/** Brings extension storage to the current version, repairing records field by field. */
async function upgradeLocalState(): Promise<UpgradeReport> {
  const found: StoredLocal = await browser.storage.local.get([...UPGRADED_KEYS]);
  const problems: StoredProblem[] = [];
  const marker = StoredStateMarker.safeParse(found[VERSION_KEY]);
  if (found[VERSION_KEY] !== undefined && !marker.success) problems.push({ field: `${VERSION_KEY}.version`, problem: 'invalid' });
  const from = marker.success ? marker.data.version : 1;
  if (from > STORED_STATE_VERSION) {
    // A newer release wrote this (the worker went back a version): the reads take what they
    // can, field by field; nothing is rewritten here, so going forward again loses nothing.
    problems.push({ field: `${VERSION_KEY}.version`, problem: 'newer' });
    await countStoredProblems(problems);
    return { from, to: from, problems, rewritten: [] };
  }

  const local = migrateLocal(found, from);
  const writes: StoredLocal = {};
  const removals: string[] = [];
  for (const key of Object.keys(found)) if (!(key in local)) removals.push(key);
  for (const [key, migrated] of Object.entries(local)) if (migrated !== found[key]) writes[key] = migrated;

  if (local.settings !== undefined) {
    const settings = repairedSettings(local.settings, found.settings);
    problems.push(...settings.problems);
    if (settings.write) writes.settings = settings.write;
  }
  if (local.account !== undefined) {
    const account = readAccount(local.account);
    problems.push(...account.problems);
    if (!account.value) {
      // Its only copy: kept aside (never sent, never read as an account) rather than deleted,
      // so a worker or a later release can still recover it; a new account can be made meanwhile.
      const { [UNREADABLE_ACCOUNTS_KEY]: aside } = await browser.storage.local.get(UNREADABLE_ACCOUNTS_KEY);
      writes[UNREADABLE_ACCOUNTS_KEY] = [...(Array.isArray(aside) ? aside : []), { at: Date.now(), account: found.account }];
      removals.push('account');
      delete writes.account;
    } else if (!sameValue(account.value, found.account)) writes.account = account.value;
  }
  // The server's published rules: unreadable ones go (defaults apply); the next sync
  // compares their version with the server's and fetches them again.
  if (local.rules !== undefined && !Rules.safeParse(local.rules).success) {
    problems.push({ field: 'rules', problem: 'invalid' });
    removals.push('rules');
    delete writes.rules;
  }
  if (from !== STORED_STATE_VERSION || !marker.success) writes[VERSION_KEY] = { version: STORED_STATE_VERSION, from, at: Date.now() };

  // Counted before the repaired records are written: a start cut off in between repairs
  // again next time (and counts again) rather than repairing without telling.
  await countStoredProblems(problems);
  if (removals.length > 0) await browser.storage.local.remove(removals);
  if (Object.keys(writes).length > 0) await browser.storage.local.set(writes);
  return { from, to: STORED_STATE_VERSION, problems, rewritten: [...Object.keys(writes), ...removals] };
}

/**
 * Repairs the sync record and the outbox in IndexedDB field by field (db.ts's own upgrade
 * has already added any store this version brought). An outbox item whose submission can't
 * be read is left as it is, never deleted: the outbox skips it and the diagnostics name it.
 */
async function repairDatabase(): Promise<StoredProblem[]> {
  const database = await db();
  const tx = database.transaction(['meta', 'outbox'], 'readwrite');
  const problems: StoredProblem[] = [];
  const rawMeta: unknown = await tx.objectStore('meta').get('sync');
  const meta = readSyncMeta(rawMeta, INITIAL_META);
  problems.push(...meta.problems);
  const metaChanged = rawMeta !== undefined && !sameValue(meta.value, rawMeta);
  if (metaChanged) await writeMeta(tx, meta.value);
  for (let cursor = await tx.objectStore('outbox').openCursor(); cursor; cursor = await cursor.continue()) {
    const item = readOutboxItem(cursor.value);
    problems.push(...item.problems);
    if (item.value && !sameValue(item.value, cursor.value)) await cursor.update(item.value);
  }
  await tx.done;
  if (metaChanged) metaCommitted(meta.value);
  await countStoredProblems(problems);
  return problems;
}

let local: Promise<UpgradeReport> | null = null;
let whole: Promise<UpgradeReport> | null = null;

const failed = (error: unknown): UpgradeReport => {
  console.warn('Lantern: stored state could not be upgraded; reading it field by field as found', error);
  return { from: 0, to: STORED_STATE_VERSION, problems: [], rewritten: [], failed: String(error) };
};

/** Extension storage upgraded (settings and account read after this). Never rejects. */
export function localStateReady(): Promise<UpgradeReport> {
  local ??= upgradeLocalState().catch(failed);
  return local;
}

/** Everything upgraded and repaired: extension storage, then IndexedDB. Never rejects. */
export function storedStateReady(): Promise<UpgradeReport> {
  whole ??= localStateReady().then(async (report) => {
    try {
      return { ...report, problems: [...report.problems, ...(await repairDatabase())] };
    } catch (error) {
      return { ...report, failed: String(error) };
    }
  });
  return whole;
}

/** For unit tests: forget that this start already upgraded. */
export function resetUpgradeForTests(): void {
  local = null;
  whole = null;
}
