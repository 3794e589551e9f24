/**
 * The steps that bring extension storage written by an older release up to
 * STORED_STATE_VERSION, one version at a time. Each step takes every key of
 * `browser.storage.local` as found and returns them as the next version stores them; it
 * must keep what it does not change. Fields are checked after the last step (records.ts),
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

interface Step {
  from: number;
  why: string;
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
