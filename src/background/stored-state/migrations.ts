/**
 * The steps that bring extension storage written by an older release up to
 * STORED_STATE_VERSION, one version at a time. Each step takes the records as found and
 * returns them as the next version stores them; it must keep what it does not change. Fields are checked after the last step (records.ts),
 * so a step only moves and renames.
 *
 * IndexedDB's stores and indexes are added by db.ts's upgrade (IndexedDB's own version);
 * its records are read field by field on every read and repaired once after an update
 * (upgrade.ts).
 *
 * | stored state | release | extension storage                                                      | IndexedDB |
 * | 1            | 0.1.0   | settings, account, rules, ownOverlay, badgeIndex, welcomed, diagnostics | v2        |
 * | 2            | next    | as 1, plus `storedState` (this version, and the one it came from)        | v2 or newer |
 */
import { STORED_STATE_VERSION } from '../../core/extension-state.js';

export type StoredLocal = Record<string, unknown>;

/** The extension-storage key holding the stored state's version (absent: version 1). */
export const VERSION_KEY = 'storedState';

/**
 * The extension-storage keys an upgrade reads (and the steps may change). Not all of
 * storage: the badge index alone is about 1 MB for 100k requesters, read by every tab
 * and rebuilt by the background — an upgrade has no business loading it at each start.
 * A step that moves another key adds it here.
 */
export const UPGRADED_KEYS: readonly string[] = [VERSION_KEY, 'settings', 'account', 'rules'];

interface Step {
  from: number;
  why: string;
  /** Gets the UPGRADED_KEYS found (absent ones absent); returns them as the next version stores them. */
  migrate(local: StoredLocal): StoredLocal;
}

export const STEPS: readonly Step[] = [
  {
    from: 1,
    why: 'Release 0.1.0 stored no version: its records already have version 2 shapes; the version is written after the checks.',
    migrate: (local) => local,
  },
];

/** Runs every step from `from` up to the current version, in order. */
export function migrateLocal(local: StoredLocal, from: number): StoredLocal {
  let current = local;
  for (let version = from; version < STORED_STATE_VERSION; version++) {
    const step = STEPS.find((s) => s.from === version);
    if (!step) throw new Error(`no migration from stored state version ${version}`);
    current = step.migrate(current);
  }
  return current;
}
