/**
 * Background entry (service worker in Chrome, event page in Firefox).
 * Listeners are registered synchronously at start-up, as MV3 requires; work that was
 * interrupted (a snapshot cut off, submissions queued) resumes on every start.
 */
import { TEST_HOOKS } from '../core/build-flags.js';
import browser from 'webextension-polyfill';
import { badgeIndexStatus, keepBadgeIndex, rebuildBadgeIndex } from './badge-index.js';
import { patchMeta, readMeta } from './db.js';
import { flushOutbox, OUTBOX_ALARM } from './outbox.js';
import * as replica from './replica.js';
import { listen } from './router.js';
import { SYNC_ALARM, syncNow, syncStatus } from './sync.js';
import { keepSuspectMatches, matchSuspectsSoon } from './suspect-matcher.js';
import { startWorkLog } from './handlers-work-log.js';
import { welcomeOnInstall } from './handlers-guide.js';
import { storedStateReady } from './stored-state/upgrade.js';
import { holdLookups } from './lookup-gate.js';

listen();
keepBadgeIndex();
keepSuspectMatches();
startWorkLog();
welcomeOnInstall();

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SYNC_ALARM) void syncNow();
  if (alarm.name === OUTBOX_ALARM) void flushOutbox();
});

async function resume(): Promise<void> {
  // Another release's stored state is upgraded and repaired before syncing or sending.
  await storedStateReady();
  // A replica write whose badge index update was cut off (the background stopped) is followed up now.
  void replica.resumeReplicaNotices();
  const [meta, alarm] = await Promise.all([readMeta(), browser.alarms.get(SYNC_ALARM)]);
  // No replica yet, a snapshot cut off, or no sync planned: sync now.
  if (!meta.version || meta.snapshotProgress || !alarm) void syncNow();
  void flushOutbox();
}
void resume();

// For end-to-end tests and benchmarks only: the same functions the extension runs. Test
// builds define LANTERN_TEST_HOOKS true (scripts/build.ts); in store builds esbuild drops this.
if (TEST_HOOKS) Object.assign(globalThis, { lantern: { storedStateReady, replica, syncNow, syncStatus, flushOutbox, patchMeta, rebuildBadgeIndex, badgeIndexStatus, matchSuspectsSoon, holdLookups } });
