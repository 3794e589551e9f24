/** The worker's settings and the rules in force, in extension storage (never sent anywhere). */
import browser from 'webextension-polyfill';
import { Settings } from '../core/extension-state.js';
import { DEFAULT_RULES, DEFAULT_THRESHOLDS, Rules, type Thresholds } from '../core/rules.js';
import { DEFAULT_ALERT_SETTINGS, DEFAULT_WORK_LOG_SETTINGS } from '../core/work-log.js';

/**
 * A build may carry a server address (`LANTERN_DEFAULT_SERVER`, baked in by scripts/build.ts;
 * `npm start` points it at the server it starts): used until the worker sets one, so a
 * newcomer's first sync needs no typing. The worker's own choice, even "none", wins.
 */
declare const LANTERN_DEFAULT_SERVER: string | null | undefined;
const BUILT_IN_SERVER = typeof LANTERN_DEFAULT_SERVER === 'string' ? LANTERN_DEFAULT_SERVER : null;

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: BUILT_IN_SERVER,
  thresholds: DEFAULT_THRESHOLDS,
  blocklist: [],
  filterMode: 'dim',
  platforms: { mturk: true, prolific: true },
  workLog: DEFAULT_WORK_LOG_SETTINGS,
  alerts: DEFAULT_ALERT_SETTINGS,
};

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
    const { settings } = await browser.storage.local.get('settings');
    const parsed = Settings.safeParse({ ...DEFAULT_SETTINGS, ...(settings as object | undefined) });
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
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
