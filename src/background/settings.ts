/** The worker's settings and the rules in force, in extension storage (never sent anywhere). */
import browser from 'webextension-polyfill';
import { Settings } from '../core/extension-state.js';
import { DEFAULT_RULES, Rules, type Thresholds } from '../core/rules.js';
import { DEFAULT_SETTINGS } from './stored-state/defaults.js';
import { readSettings, readSettingsFields } from './stored-state/records.js';
import { localStateReady } from './stored-state/upgrade.js';

export { DEFAULT_SETTINGS };

// Read on every page scan: kept in memory, dropped whenever storage changes.
let cachedSettings: Promise<Settings> | null = null;
let cachedRules: Promise<Rules> | null = null;
browser.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local') return;
  if ('settings' in changes) cachedSettings = null;
  if ('rules' in changes) cachedRules = null;
});

export function getSettings(): Promise<Settings> {
  cachedSettings ??= (async () => {
    // An older release's settings are upgraded (and their repairs reported) first.
    await localStateReady();
    const { settings } = await browser.storage.local.get('settings');
    // Field by field: one unreadable or unknown field never takes the others with it.
    return readSettings(settings, DEFAULT_SETTINGS).value;
  })();
  return cachedSettings;
}

/** A change to the settings: the fields to set, or a function of the settings as they are now. */
export type SettingsPatch = Partial<Settings> | ((current: Settings) => Partial<Settings>);

// One write at a time, each on what the one before it wrote: two tabs blocking at once each
// read the blocklist and wrote a whole new one, so one block was lost (as in diagnostics.ts).
let writing: Promise<unknown> = Promise.resolve();

/**
 * Applies `patch` to the stored settings, after any write already under way. The patch is
 * applied to the settings as read field by field, not to the defaults a failed whole-schema
 * check falls back to (records.ts): should the readers and the schema disagree, the result
 * fails Settings.parse and nothing is written, so the worker's blocklist is never wiped.
 */
export function updateSettings(patch: SettingsPatch): Promise<Settings> {
  const run = writing.then(async () => {
    await localStateReady();
    const { settings } = await browser.storage.local.get('settings');
    const current = readSettingsFields(settings, DEFAULT_SETTINGS);
    const changes = typeof patch === 'function' ? patch(current) : patch;
    // Nothing to change (already blocked, say): no write, so nothing downstream rebuilds.
    if (Object.keys(changes).length === 0) return readSettings(settings, DEFAULT_SETTINGS).value;
    const next = Settings.parse({ ...current, ...changes });
    await browser.storage.local.set({ settings: next });
    cachedSettings = Promise.resolve(next);
    return next;
  });
  writing = run.catch(() => undefined);
  return run;
}

export async function getThresholds(): Promise<Thresholds> {
  return (await getSettings()).thresholds;
}

/** The rules in force: the server's published rules once synced, version 1 before. */
export function getRules(): Promise<Rules> {
  cachedRules ??= (async () => {
    const { rules } = await browser.storage.local.get('rules');
    const parsed = Rules.safeParse(rules);
    return parsed.success ? parsed.data : DEFAULT_RULES;
  })();
  return cachedRules;
}

export async function setRules(rules: Rules): Promise<void> {
  // Not before the upgrade: it may remove unreadable rules, and must not remove these.
  await localStateReady();
  await browser.storage.local.set({ rules });
  cachedRules = Promise.resolve(rules);
}
