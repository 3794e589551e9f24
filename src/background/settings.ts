/** The worker's settings and the rules in force, in extension storage (never sent anywhere). */
import browser from 'webextension-polyfill';
import { Settings } from '../core/extension-state.js';
import { DEFAULT_RULES, DEFAULT_THRESHOLDS, Rules, type Thresholds } from '../core/rules.js';

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: null,
  thresholds: DEFAULT_THRESHOLDS,
  blocklist: [],
  filterMode: 'dim',
  platforms: { mturk: true, prolific: true },
};

export async function getSettings(): Promise<Settings> {
  const { settings } = await browser.storage.local.get('settings');
  const parsed = Settings.safeParse({ ...DEFAULT_SETTINGS, ...(settings as object | undefined) });
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = Settings.parse({ ...(await getSettings()), ...patch });
  await browser.storage.local.set({ settings: next });
  return next;
}

export async function getThresholds(): Promise<Thresholds> {
  return (await getSettings()).thresholds;
}

/** The rules in force: the server's published rules once synced, version 1 before. */
export async function getRules(): Promise<Rules> {
  const { rules } = await browser.storage.local.get('rules');
  const parsed = Rules.safeParse(rules);
  return parsed.success ? parsed.data : DEFAULT_RULES;
}

export async function setRules(rules: Rules): Promise<void> {
  await browser.storage.local.set({ rules });
}
