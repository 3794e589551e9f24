/** What the worker's settings are before they set anything, and what a bad field falls back to. */
import type { Settings } from '../../core/extension-state.js';
import { perPlatform } from '../../core/platforms.js';
import { DEFAULT_THRESHOLDS } from '../../core/rules.js';
import { DEFAULT_ALERT_SETTINGS, DEFAULT_WORK_LOG_SETTINGS } from '../../core/work-log.js';

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
  platforms: perPlatform(() => true),
  workLog: DEFAULT_WORK_LOG_SETTINGS,
  alerts: DEFAULT_ALERT_SETTINGS,
};
