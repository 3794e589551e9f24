/** The worker's settings and the rules in force, in extension storage (never sent anywhere). */
import browser from 'webextension-polyfill';
import { Settings } from '../core/extension-state.js';
import { DEFAULT_RULES, Rules, type Thresholds } from '../core/rules.js';
import { DEFAULT_SETTINGS } from './stored-state/defaults.js';
import { readSettings } from './stored-state/records.js';
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

export async function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = Settings.parse({ ...(await getSettings()), ...patch });
  await browser.storage.local.set({ settings: next });
  cachedSettings = Promise.resolve(next);
  return next;
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
  await browser.storage.local.set({ rules });
  cachedRules = Promise.resolve(rules);
}
