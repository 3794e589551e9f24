/**
 * The old "recent tasks" list (the last 50 task pages, in extension storage) is retired:
 * the work log (work-log.ts) keeps every task now. What is left here keeps its callers
 * working on top of the log — `content/task-seen` (the popup's review prefill reads the
 * earliest acceptance time from its answer) and `ui/recent-tasks` — and moves a list an
 * earlier version stored into the log, once.
 */
import browser from 'webextension-polyfill';
import { RECENT_TASKS_CAP, RecentTask } from '../core/extension-state.js';
import type { WorkObservation } from '../core/work-log.js';
import { getSettings } from './settings.js';
import { queryWorkLog, recordObservations } from './work-log.js';

/** The newest task groups of the log, as the recent-task list showed them. */
export async function recentTasks(): Promise<RecentTask[]> {
  const { entries } = await queryWorkLog({ limit: RECENT_TASKS_CAP * 4 });
  const seen = new Set<string>();
  const tasks: RecentTask[] = [];
  for (const e of entries) {
    const group = `${e.requester}|${e.taskId}`;
    if (seen.has(group) || tasks.length >= RECENT_TASKS_CAP) continue;
    seen.add(group);
    tasks.push({
      requester: e.requester,
      requesterName: e.requesterName.slice(0, 200),
      taskId: e.taskId,
      taskTitle: e.taskTitle.slice(0, 300),
      reward: e.reward,
      acceptedAt: e.acceptedAt,
      seenAt: e.lastAt,
    });
  }
  return tasks;
}

function observationsOf(task: RecentTask): WorkObservation[] {
  const base = {
    requester: task.requester,
    requesterName: task.requesterName,
    taskId: task.taskId,
    assignmentId: null,
    taskTitle: task.taskTitle,
    reward: task.reward,
    outcome: null,
  };
  const seen: WorkObservation = { ...base, event: 'previewed', at: task.seenAt };
  return task.acceptedAt === null ? [seen] : [seen, { ...base, event: 'accepted', at: task.acceptedAt }];
}

/**
 * A task page was opened (or its task accepted): recorded in the work log, answered with
 * the earliest acceptance this browser saw — reloading the task page must not shorten the
 * time worked. With the log off nothing is kept, and the page's own time is the answer.
 */
export async function rememberTask(task: RecentTask): Promise<RecentTask> {
  const { entries } = await recordObservations(observationsOf(task), (await getSettings()).workLog);
  const entry = entries.at(-1);
  return entry ? { ...task, acceptedAt: entry.acceptedAt ?? task.acceptedAt } : task;
}

/** Moves a list an earlier version left in extension storage into the work log, once. */
export async function migrateRecentTasks(): Promise<number> {
  const { recentTasks: stored } = await browser.storage.local.get('recentTasks');
  if (stored === undefined) return 0;
  const tasks = (Array.isArray(stored) ? stored : []).flatMap((candidate: unknown) => {
    const parsed = RecentTask.safeParse(candidate);
    return parsed.success ? [parsed.data] : [];
  });
  // The worker may have turned the log off since: their list goes then, unkept.
  const { recorded } = await recordObservations(tasks.flatMap(observationsOf), (await getSettings()).workLog);
  await browser.storage.local.remove('recentTasks');
  return recorded;
}
