/**
 * The matcher on fake-indexeddb, end to end from the replica (suspect index) and the work
 * log to stored matches and notifications; the browser APIs it calls are a fake below.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RULES } from '../core/rules.js';
import { decodeSummary } from '../core/summary-codec.js';
import type { WorkLogEntry } from '../core/work-log.js';

const fake = vi.hoisted(() => {
  const state = {
    storage: new Map<string, unknown>(),
    granted: true,
    notifications: new Map<string, { title: string; message: string }>(),
    created: [] as string[],
  };
  const browser = {
    storage: {
      local: {
        get: async (key: string) => (state.storage.has(key) ? { [key]: state.storage.get(key) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => state.storage.set(k, v)),
      },
      onChanged: { addListener: () => undefined },
    },
    permissions: { contains: async () => state.granted },
    notifications: {
      create: async (id: string, options: { title: string; message: string }) => {
        state.notifications.set(id, options);
        state.created.push(id);
        return id;
      },
      clear: async (id: string) => state.notifications.delete(id),
    },
    i18n: {
      getMessage: (key: string, subs?: string[]) => (subs ? `${key}(${subs.join('|')})` : key),
      getUILanguage: () => 'en',
    },
    runtime: { getURL: (path: string) => `chrome-extension://test/${path}` },
  };
  return { state, browser };
});
vi.mock('webextension-polyfill', () => ({ default: fake.browser }));

const { deleteDatabase } = await import('./db.js');
const { putSummaries } = await import('./replica.js');
const { updateSettings, DEFAULT_SETTINGS } = await import('./settings.js');
const { putEntries } = await import('./work-log.js');
const { dismissMatch, forgetMatches, listMatches, matchSuspects, reconcileMatches } = await import('./suspect-matcher.js');
const { row, requesterKey } = await import('./suspect-rows.testing.js');

const NOW = Date.UTC(2026, 11, 3, 12);
const DAY = 86_400_000;
const TASK = '3W718UE9EU3HU46PLOZCGM2A1IF8KS';
const OTHER_TASK = '3G1YHEL1EXCD4RRXH4GDDPW2DZ60IJ';
const R = requesterKey(1);

function entry(patch: Partial<WorkLogEntry> = {}): WorkLogEntry {
  const requester = patch.requester ?? R;
  const taskId = patch.taskId ?? TASK;
  return {
    id: `${requester}|${taskId}|${patch.assignmentId ?? 'ASSIGN1'}`,
    requester,
    requesterName: 'Sleep Lab',
    taskId,
    assignmentId: 'ASSIGN1',
    taskTitle: 'Daily sleep survey',
    reward: { cents: 150, currency: 'USD' },
    firstSeenAt: NOW - 2 * DAY,
    acceptedAt: NOW - 2 * DAY,
    submittedAt: NOW - 2 * DAY + 600_000,
    returnedAt: null,
    outcome: null,
    decidedAt: null,
    lastAt: NOW - 2 * DAY + 600_000,
    reviewed: false,
    ...patch,
  };
}

/** Puts requester 1 into the replica with TASK in this state (or no suspect task at all). */
async function replicaSays(state: 1 | 2 | null, accounts = 3): Promise<void> {
  await putSummaries([decodeSummary(row(1, state ? [[TASK, state, accounts, '2026-11-30']] : undefined), DEFAULT_RULES)]);
}

beforeEach(async () => {
  await deleteDatabase();
  fake.state.storage.clear();
  fake.state.notifications.clear();
  fake.state.created.length = 0;
  fake.state.granted = true;
  await updateSettings(DEFAULT_SETTINGS);
});

describe('reconcileMatches (pure)', () => {
  const suspects = [{ requester: R, name: 'Requester 1', tasks: [{ taskId: TASK, state: 'investigating' as const, accounts: 3, since: '2026-11-30' }] }];

  it('matches only the same task group of the same requester, done (not just previewed)', () => {
    const entries = [
      entry({ requester: requesterKey(2) }), // same task id, other requester
      entry({ taskId: OTHER_TASK }),
      entry({ id: 'preview', assignmentId: null, acceptedAt: null, submittedAt: null }), // preview only
    ];
    expect(reconcileMatches(suspects, entries, [], NOW).matches).toEqual([]);
    const { matches } = reconcileMatches(suspects, [...entries, entry()], [], NOW);
    expect(matches).toEqual([
      expect.objectContaining({ id: `${R}|${TASK}`, taskTitle: 'Daily sleep survey', requesterName: 'Sleep Lab', workedAt: NOW - 2 * DAY + 600_000, state: 'investigating', accounts: 3, notifiedState: null, dismissed: false }),
    ]);
  });
});

describe('matchSuspects', () => {
  it('finds a task of the log that the replica names suspect, stores it and notifies once', async () => {
    await putEntries([entry(), entry({ requester: requesterKey(2), id: 'x' })]);
    await replicaSays(1);
    const run = await matchSuspects(NOW);
    expect(run.matches.map((m) => m.id)).toEqual([`${R}|${TASK}`]);
    expect(await listMatches()).toEqual([expect.objectContaining({ id: `${R}|${TASK}`, notifiedState: 'investigating', matchedAt: NOW })]);
    const shown = fake.state.notifications.get(`lantern-suspect:${R}|${TASK}`);
    expect(shown?.title).toBe('suspectNotifyTitle');
    // 3 accounts: the plural message (`$1` is the count), by the language's plural rules.
    expect(shown?.message).toMatch(/^pluralSuspectNotifyMessage_other\(3\|Daily sleep survey\|Sleep Lab\|Dec [12], 2026\|suspectStateInvestigating\)$/);
    // The next sync, same state: no second notification.
    await matchSuspects(NOW + DAY);
    expect(fake.state.created).toHaveLength(1);
  });

  it('no match when the log has no such task, or an empty replica', async () => {
    await putEntries([entry({ taskId: OTHER_TASK })]);
    expect((await matchSuspects(NOW)).matches).toEqual([]);
    await replicaSays(1);
    expect((await matchSuspects(NOW)).matches).toEqual([]);
    expect(await listMatches()).toEqual([]);
    expect(fake.state.created).toEqual([]);
  });

  it('investigating → confirmed notifies again (even a dismissed match comes back)', async () => {
    await putEntries([entry()]);
    await replicaSays(1);
    await matchSuspects(NOW);
    await dismissMatch(`${R}|${TASK}`);
    expect(fake.state.notifications.size).toBe(0); // dismissing clears the notification
    await replicaSays(1, 4);
    await matchSuspects(NOW);
    expect(fake.state.created).toHaveLength(1); // dismissed, same state: quiet
    expect((await listMatches())[0]).toMatchObject({ accounts: 4, dismissed: true });
    await replicaSays(2, 5);
    await matchSuspects(NOW);
    expect(fake.state.created).toHaveLength(2);
    expect(fake.state.notifications.get(`lantern-suspect:${R}|${TASK}`)?.message).toMatch(/^pluralSuspectNotifyMessage_other\(5\|.*\|suspectStateConfirmed\)$/);
    expect((await listMatches())[0]).toMatchObject({ state: 'confirmed', notifiedState: 'confirmed', dismissed: false });
  });

  it('a dismissed incident (no longer suspect) removes the match and its notification', async () => {
    await putEntries([entry()]);
    await replicaSays(1);
    await matchSuspects(NOW);
    await replicaSays(null);
    const run = await matchSuspects(NOW);
    expect(run.removed.map((m) => m.id)).toEqual([`${R}|${TASK}`]);
    expect(await listMatches()).toEqual([]);
    await vi.waitFor(() => expect(fake.state.notifications.size).toBe(0), { timeout: 15_000 });
  });

  it('clearing the work log forgets its matches and their notifications', async () => {
    await putEntries([entry()]);
    await replicaSays(1);
    await matchSuspects(NOW);
    expect(await listMatches()).toHaveLength(1);
    await forgetMatches();
    expect(await listMatches()).toEqual([]);
    expect(fake.state.notifications.size).toBe(0);
  });

  it('with the work log off, nothing is matched', async () => {
    await putEntries([entry()]);
    await updateSettings({ workLog: { enabled: false, retentionDays: 120 } });
    await replicaSays(1);
    expect((await matchSuspects(NOW)).matches).toEqual([]);
    expect(fake.state.created).toEqual([]);
  });

  it('notifications off, or not permitted: the match is kept for the banner, nothing is shown', async () => {
    await putEntries([entry()]);
    await replicaSays(1);
    fake.state.granted = false;
    await matchSuspects(NOW);
    await updateSettings({ alerts: { notify: false } });
    fake.state.granted = true;
    await matchSuspects(NOW);
    expect(fake.state.created).toEqual([]);
    expect(await listMatches()).toEqual([expect.objectContaining({ notifiedState: null, dismissed: false })]);
    // Turned on (and permitted): the next match notifies.
    await updateSettings({ alerts: { notify: true } });
    await matchSuspects(NOW);
    expect(fake.state.created).toHaveLength(1);
  });

  it('dismissing an unknown match names the id', async () => {
    await expect(dismissMatch('nope')).rejects.toThrow(/^id: /);
  });
});

describe('a dismissal during a run', () => {
  it('is kept when the run writes the match afterwards', async () => {
    await putEntries([entry()]);
    await replicaSays(1);
    fake.state.granted = false;
    await matchSuspects(NOW); // stored, not notified
    fake.state.granted = true;
    // The worker dismisses while the next run is creating its notification.
    const create = fake.browser.notifications.create;
    fake.browser.notifications.create = async (id, options) => {
      await dismissMatch(`${R}|${TASK}`);
      return create(id, options);
    };
    try {
      await matchSuspects(NOW);
    } finally {
      fake.browser.notifications.create = create;
    }
    expect((await listMatches())[0]).toMatchObject({ dismissed: true, notifiedState: 'investigating' });
  });
});
