/**
 * The retired recent-task list on top of the work log: `content/task-seen` still answers the
 * earliest acceptance, and a list an earlier version stored moves into the log once.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecentTask } from '../core/extension-state.js';

// Extension storage, in memory (the only browser API these modules use).
const storage = vi.hoisted(() => new Map<string, unknown>());
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      onChanged: { addListener: () => undefined },
      local: {
        get: async (key: string) => (storage.has(key) ? { [key]: storage.get(key) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => storage.set(k, v)),
        remove: async (key: string) => void storage.delete(key),
      },
    },
  },
}));

const { migrateRecentTasks, recentTasks, rememberTask } = await import('./recent-tasks.js');
const { clearWorkLog, queryWorkLog } = await import('./work-log.js');
const { updateSettings } = await import('./settings.js');

const NOW = Date.now();
const task = (patch: Partial<RecentTask> = {}): RecentTask => ({
  requester: 'mturk:A2P2MT8IK72CVZ',
  requesterName: 'Sleep Lab',
  taskId: '3W718UE9EU3HU46PLOZCGM2A1IF8KS',
  taskTitle: 'Daily sleep survey',
  reward: { cents: 150, currency: 'USD' },
  acceptedAt: null,
  seenAt: NOW,
  ...patch,
});

beforeEach(async () => {
  storage.clear();
  await clearWorkLog();
});

describe('task-seen on the work log', () => {
  it('answers the earliest acceptance: reloading the task page does not shorten the time worked', async () => {
    expect((await rememberTask(task({ acceptedAt: NOW - 60_000 }))).acceptedAt).toBe(NOW - 60_000);
    expect((await rememberTask(task({ acceptedAt: NOW, seenAt: NOW + 1 }))).acceptedAt).toBe(NOW - 60_000);
    expect((await queryWorkLog({})).total).toBe(1);
    expect(await recentTasks()).toEqual([expect.objectContaining({ taskId: task().taskId, acceptedAt: NOW - 60_000, seenAt: NOW + 1 })]);
  });

  it("with the log off, keeps nothing and answers the page's own time", async () => {
    await updateSettings({ workLog: { enabled: false, retentionDays: 120 } });
    try {
      expect((await rememberTask(task({ acceptedAt: NOW }))).acceptedAt).toBe(NOW);
      expect((await queryWorkLog({})).total).toBe(0);
    } finally {
      await updateSettings({ workLog: { enabled: true, retentionDays: 120 } });
    }
  });

});

describe('moving the old list into the log', () => {
  it('takes every valid task once, then forgets the old list', async () => {
    storage.set('recentTasks', [task({ acceptedAt: NOW - 5000, seenAt: NOW - 4000 }), task({ taskId: '3OTHER', seenAt: NOW - 9000 }), { not: 'a task' }]);
    expect(await migrateRecentTasks()).toBe(2);
    expect(storage.has('recentTasks')).toBe(false);
    const { entries } = await queryWorkLog({});
    expect(entries.map((e) => [e.taskId, e.acceptedAt, e.firstSeenAt, e.lastAt])).toEqual([
      [task().taskId, NOW - 5000, NOW - 5000, NOW - 4000],
      ['3OTHER', null, NOW - 9000, NOW - 9000],
    ]);
    expect(await migrateRecentTasks()).toBe(0);
    expect((await queryWorkLog({})).total).toBe(2);
  });
});
