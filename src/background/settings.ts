/** The worker's settings, in extension storage (never synced anywhere). */
import browser from 'webextension-polyfill';
import { DEFAULT_RULES, DEFAULT_THRESHOLDS, Rules, Thresholds } from '../core/rules.js';

export async function getThresholds(): Promise<Thresholds> {
  const { thresholds } = await browser.storage.local.get('thresholds');
  const parsed = Thresholds.safeParse(thresholds);
  return parsed.success ? parsed.data : DEFAULT_THRESHOLDS;
}

/** The rules in force: the server's published rules once synced, version 1 before. */
export async function getRules(): Promise<Rules> {
  const { rules } = await browser.storage.local.get('rules');
  const parsed = Rules.safeParse(rules);
  return parsed.success ? parsed.data : DEFAULT_RULES;
}
