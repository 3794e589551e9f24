/**
 * The work log's messages: the content script's observations, and the options page's and
 * popup's questions. Everything stays in this browser; the export is a file handed to the
 * page the worker saves it from.
 */
import { TEST_HOOKS } from '../core/build-flags.js';
import browser from 'webextension-polyfill';
import type { CONTENT_MESSAGES } from '../core/messages.js';
import type { UI_MESSAGES } from '../core/messages-ui.js';
import type { Handlers } from '../core/messaging.js';
import { platformOfKey } from '../core/platforms.js';
import { migrateRecentTasks } from './recent-tasks.js';
import { getSettings } from './settings.js';
import { forgetMatches } from './suspect-matcher.js';
import { workLogExport } from './work-log-export.js';
import { allEntries, clearWorkLog, entriesForTasks, entryForTask, pruneWorkLog, putEntries, queryWorkLog, recordObservations, reviewableTasks, warmWorkLog } from './work-log.js';

type WorkLogUi = 'ui/work-log-query' | 'ui/work-log-task' | 'ui/work-log-export' | 'ui/work-log-clear' | 'ui/reviewable-tasks';

/** What the content scripts sent, counted (end-to-end tests check that re-renders send nothing). */
const workLogStats = { messages: 0, observations: 0 };

export const workLogContentHandlers: Pick<Handlers<typeof CONTENT_MESSAGES>, 'content/work-seen'> = {
  async 'content/work-seen'({ observations }) {
    workLogStats.messages += 1;
    workLogStats.observations += observations.length;
    const { workLog, platforms } = await getSettings();
    // A platform the worker switched Lantern off for is not logged either.
    const kept = observations.filter((o) => {
      const platform = platformOfKey(o.requester);
      return platform !== null && platforms[platform];
    });
    const { recorded } = await recordObservations(kept, workLog);
    return { recorded };
  },
};

/**
 * Whatever the log shows or hands out holds nothing past the retention: a shortened
 * retention takes effect at once, not at the next write or daily run. Nothing to drop
 * costs one cursor step.
 */
async function pruned(): Promise<void> {
  await pruneWorkLog((await getSettings()).workLog.retentionDays);
}

export const workLogUiHandlers: Pick<Handlers<typeof UI_MESSAGES>, WorkLogUi> = {
  async 'ui/work-log-query'(query) {
    await pruned();
    return queryWorkLog(query);
  },

  async 'ui/work-log-task'({ requester, taskId }) {
    return { entry: await entryForTask(requester, taskId) };
  },

  async 'ui/work-log-export'({ format }) {
    await pruned();
    return workLogExport(await allEntries(), format);
  },

  async 'ui/work-log-clear'() {
    await clearWorkLog();
    await forgetMatches();
    return { done: true };
  },

  async 'ui/reviewable-tasks'() {
    await pruned();
    return { entries: await reviewableTasks() };
  },
};

const WORK_LOG_ALARM = 'work-log-retention';

/**
 * At every start of the worker (and once a day, by alarm): bring the old recent-task list
 * into the log once, and drop what retention no longer keeps — a worker who stops browsing
 * the platforms still sees old entries go.
 */
async function maintainWorkLog(): Promise<void> {
  await migrateRecentTasks();
  const { workLog } = await getSettings();
  await pruneWorkLog(workLog.retentionDays);
}

/** Called once, synchronously, at the worker's start (listeners first, as MV3 requires). */
export function startWorkLog(): void {
  // For end-to-end tests and benchmarks only (test builds; see scripts/build.ts).
  if (TEST_HOOKS) Object.assign(globalThis, { lanternWorkLog: { stats: workLogStats, putEntries, entriesForTasks, warmWorkLog, queryWorkLog, maintainWorkLog } });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === WORK_LOG_ALARM) void maintainWorkLog().catch(() => undefined);
  });
  void browser.alarms.get(WORK_LOG_ALARM).then(async (alarm) => {
    if (!alarm) await browser.alarms.create(WORK_LOG_ALARM, { periodInMinutes: 24 * 60 });
  });
  void maintainWorkLog().catch((error: unknown) => console.warn('Lantern: work log upkeep failed', error));
}
