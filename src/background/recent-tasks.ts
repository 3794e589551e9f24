/**
 * The tasks this worker recently opened or accepted — kept only in this browser, capped,
 * clearable — to pick from when reporting a suspension. Never sent as a list; a report
 * carries only the tasks the worker picks.
 */
import browser from 'webextension-polyfill';
import { RECENT_TASKS_CAP, RecentTask } from '../core/extension-state.js';

export async function recentTasks(): Promise<RecentTask[]> {
  const { recentTasks: stored } = await browser.storage.local.get('recentTasks');
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((candidate) => {
    const parsed = RecentTask.safeParse(candidate);
    return parsed.success ? [parsed.data] : [];
  });
}

export async function rememberTask(task: RecentTask): Promise<RecentTask> {
  const tasks = await recentTasks();
  const same = (t: RecentTask) => t.taskId === task.taskId && t.requester === task.requester;
  const previous = tasks.find(same);
  const others = tasks.filter((t) => !same(t));
  // Keep the earliest acceptance time: reloading the task page must not shorten the time worked.
  const merged = { ...task, acceptedAt: previous?.acceptedAt ?? task.acceptedAt };
  await browser.storage.local.set({ recentTasks: [merged, ...others].slice(0, RECENT_TASKS_CAP) });
  return merged;
}

export async function clearRecentTasks(): Promise<void> {
  await browser.storage.local.remove('recentTasks');
}
