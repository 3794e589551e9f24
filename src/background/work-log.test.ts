/** The work log's store, on fake-indexeddb: merging, retention, cap, search, matching, reviews. */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { WORK_LOG_CAP, workLogId, type WorkLogEntry, type WorkObservation } from '../core/work-log.js';
import { db, DB_NAME, deleteDatabase } from './db.js';
import {
  clearWorkLog,
  countWorkLog,
  DAY_MS,
  entriesForTasks,
  entryForTask,
  markReviewed,
  pruneWorkLog,
  putEntries,
  queryWorkLog,
  onWorkLogged,
  recordObservations,
  reviewableTasks,
} from './work-log.js';

const ON = { enabled: true, retentionDays: 120 };
const NOW = Date.UTC(2025, 5, 2, 15, 30);
const R1 = 'mturk:A2P2MT8IK72CVZ';
const R2 = 'mturk:ABSNVK2V753TM';
const G1 = '3W718UE9EU3HU46PLOZCGM2A1IF8KS';
const G2 = '3G1YHEL1EXCD4RRXH4GDDPW2DZ60IJ';

function obs(patch: Partial<WorkObservation>): WorkObservation {
  return {
    requester: R1,
    requesterName: 'Sleep Lab',
    taskId: G1,
    assignmentId: null,
    taskTitle: 'Daily sleep survey',
    reward: { cents: 150, currency: 'USD' },
    event: 'previewed',
    at: null,
    outcome: null,
    ...patch,
  };
}

export function entry(i: number, patch: Partial<WorkLogEntry> = {}): WorkLogEntry {
  const requester = `mturk:A${String(i % 5000).padStart(12, '0')}`;
  const taskId = `3G${String(i).padStart(28, '0')}`;
  const assignmentId = `3A${String(i).padStart(28, '0')}`;
  return {
    id: workLogId(requester, taskId, assignmentId),
    requester,
    requesterName: `Requester ${i % 5000}`,
    taskId,
    assignmentId,
    taskTitle: `Task ${i}`,
    reward: { cents: 10, currency: 'USD' },
    firstSeenAt: NOW - i * 1000,
    acceptedAt: NOW - i * 1000,
    submittedAt: null,
    returnedAt: null,
    outcome: null,
    decidedAt: null,
    lastAt: NOW - i * 1000,
    reviewed: false,
    ...patch,
  };
}

beforeEach(async () => {
  await clearWorkLog();
});

describe('recording', () => {
  it('tells its listeners (the suspect matcher) when entries were added or changed, not for a sighting already known', async () => {
    let told = 0;
    onWorkLogged(() => (told += 1));
    await recordObservations([obs({ at: NOW - 5000 })], ON, NOW);
    expect(told).toBe(1);
    await recordObservations([obs({ at: NOW - 5000 })], ON, NOW);
    expect(told).toBe(1);
  });

  it('records nothing when the worker turned the log off', async () => {
    const result = await recordObservations([obs({})], { enabled: false, retentionDays: 120 }, NOW);
    expect(result.recorded).toBe(0);
    expect(await countWorkLog()).toBe(0);
  });

  it('keeps the first sighting and the earliest acceptance; the latest time is lastAt', async () => {
    await recordObservations([obs({ at: NOW - 5000 })], ON, NOW);
    await recordObservations([obs({ event: 'accepted', assignmentId: '3AX', at: NOW - 3000 })], ON, NOW);
    const again = await recordObservations([obs({ event: 'accepted', assignmentId: '3AX', at: NOW - 1000, taskTitle: 'Renamed' })], ON, NOW);
    expect(again.recorded).toBe(1);
    const [only, ...rest] = (await queryWorkLog({})).entries;
    expect(rest).toEqual([]);
    // The preview without an assignment id was folded into the assignment it started.
    expect(only).toMatchObject({ id: workLogId(R1, G1, '3AX'), firstSeenAt: NOW - 5000, acceptedAt: NOW - 3000, lastAt: NOW - 1000, taskTitle: 'Renamed' });
  });

  it('an unchanged observation changes nothing', async () => {
    await recordObservations([obs({ at: NOW - 5000 })], ON, NOW);
    expect((await recordObservations([obs({ at: NOW - 5000 })], ON, NOW)).recorded).toBe(0);
  });

  it('an id-less sighting of an open assignment updates it; after it is submitted it starts a new entry', async () => {
    await recordObservations([obs({ event: 'accepted', assignmentId: '3AX', at: NOW - 60_000 })], ON, NOW);
    const seen = await recordObservations([obs({ event: 'accepted', at: NOW })], ON, NOW);
    expect(seen.entries[0]).toMatchObject({ assignmentId: '3AX', acceptedAt: NOW - 60_000 });
    expect(await countWorkLog()).toBe(1);
    await recordObservations([obs({ event: 'status', assignmentId: '3AX', outcome: 'pending', at: NOW })], ON, NOW);
    await recordObservations([obs({ event: 'previewed', at: NOW + 1000 })], ON, NOW + 1000);
    const entries = (await queryWorkLog({})).entries;
    expect(entries.map((e) => e.assignmentId)).toEqual([null, '3AX']);
  });

  it('status pages set the outcome, the submission day and when the decision was first seen', async () => {
    const day = Date.UTC(2025, 5, 1, 12);
    await recordObservations([obs({ event: 'status', assignmentId: '3AX', outcome: 'pending', at: day })], ON, NOW);
    let [e] = (await queryWorkLog({})).entries;
    expect(e).toMatchObject({ outcome: 'pending', submittedAt: day, decidedAt: null });
    await recordObservations([obs({ event: 'status', assignmentId: '3AX', outcome: 'approved', at: day })], ON, NOW + 1000);
    [e] = (await queryWorkLog({})).entries;
    expect(e).toMatchObject({ outcome: 'approved', submittedAt: day, decidedAt: NOW + 1000, lastAt: NOW + 1000 });
    // A decision is not taken back by a later "pending", nor re-dated by seeing it again.
    await recordObservations([obs({ event: 'status', assignmentId: '3AX', outcome: 'pending', at: day })], ON, NOW + 2000);
    await recordObservations([obs({ event: 'status', assignmentId: '3AX', outcome: 'approved', at: day })], ON, NOW + 3000);
    [e] = (await queryWorkLog({})).entries;
    expect(e).toMatchObject({ outcome: 'approved', decidedAt: NOW + 1000 });
  });

  it('returned tasks get their return time and outcome', async () => {
    await recordObservations([obs({ event: 'returned', assignmentId: '3AX', at: NOW - 10 })], ON, NOW);
    expect((await entryForTask(R1, G1))).toMatchObject({ returnedAt: NOW - 10, outcome: 'returned' });
  });
});

describe('retention and cap', () => {
  it('drops entries whose latest activity is older than the retention, on the next write', async () => {
    await putEntries([entry(1, { lastAt: NOW - 10 * DAY_MS }), entry(2, { lastAt: NOW - 2 * DAY_MS })]);
    await recordObservations([obs({})], { enabled: true, retentionDays: 5 }, NOW);
    const ids = (await queryWorkLog({})).entries.map((e) => e.id);
    expect(ids).toEqual([workLogId(R1, G1, null), entry(2).id]);
  });

  it('keeps at most the cap, dropping the oldest', async () => {
    await putEntries(Array.from({ length: 10 }, (_, i) => entry(i)));
    await recordObservations([obs({})], ON, NOW, 8);
    expect(await countWorkLog()).toBe(8);
    const ids = (await queryWorkLog({ limit: 20 })).entries.map((e) => e.id);
    expect(ids).toContain(workLogId(R1, G1, null));
    // entry(9) and entry(8) were the oldest.
    expect(ids).not.toContain(entry(9).id);
    expect(ids).not.toContain(entry(8).id);
    expect(WORK_LOG_CAP).toBeGreaterThanOrEqual(50_000);
  });

  it('a count made stale by deleting the database never drops entries wrongly', async () => {
    await putEntries(Array.from({ length: 10 }, (_, i) => entry(i)));
    await pruneWorkLog(120, NOW, 100); // counts 10
    await (await db()).clear('workLog'); // behind the store's back
    await putEntries([entry(1), entry(2)]);
    expect(await pruneWorkLog(120, NOW, 5)).toBe(0);
    expect(await countWorkLog()).toBe(2);
  });
});

describe('queries', () => {
  beforeEach(async () => {
    await recordObservations(
      [
        obs({ at: NOW - 3 * DAY_MS }),
        obs({ requester: R2, requesterName: "O'Brien \"Quick\" Surveys", taskId: G2, taskTitle: 'Morning ROUTINE survey', at: NOW - DAY_MS }),
        obs({ requester: R2, requesterName: "O'Brien \"Quick\" Surveys", taskId: G1, taskTitle: 'Other', at: NOW - 10 * DAY_MS }),
      ],
      ON,
      NOW,
    );
  });

  it('lists newest first with a total, page by page', async () => {
    const page1 = await queryWorkLog({ limit: 2 }, NOW);
    expect(page1.total).toBe(3);
    expect(page1.entries.map((e) => e.taskTitle)).toEqual(['Morning ROUTINE survey', 'Daily sleep survey']);
    const page2 = await queryWorkLog({ limit: 2, offset: 2 }, NOW);
    expect(page2.entries.map((e) => e.taskTitle)).toEqual(['Other']);
  });

  it('searches requester name and key, task title and id, case-insensitively, every word', async () => {
    expect((await queryWorkLog({ search: 'routine' }, NOW)).entries.map((e) => e.taskId)).toEqual([G2]);
    expect((await queryWorkLog({ search: "o'brien" }, NOW)).total).toBe(2);
    expect((await queryWorkLog({ search: 'a2p2mt8ik72cvz' }, NOW)).total).toBe(1);
    expect((await queryWorkLog({ search: G2.toLowerCase() }, NOW)).total).toBe(1);
    expect((await queryWorkLog({ search: 'quick other' }, NOW)).entries.map((e) => e.taskTitle)).toEqual(['Other']);
    expect((await queryWorkLog({ search: 'nothing-like-this' }, NOW)).total).toBe(0);
  });

  it('filters by days and by requester', async () => {
    expect((await queryWorkLog({ sinceDays: 5 }, NOW)).total).toBe(2);
    expect((await queryWorkLog({ sinceDays: 5, search: 'survey' }, NOW)).total).toBe(2);
    expect((await queryWorkLog({ requester: R2 }, NOW)).entries.map((e) => e.taskTitle)).toEqual(['Morning ROUTINE survey', 'Other']);
    expect((await queryWorkLog({ requester: R2, sinceDays: 5 }, NOW)).total).toBe(1);
  });
});

describe('matching and reviews', () => {
  it('entriesForTasks returns every entry of the asked groups, and only those', async () => {
    await putEntries([entry(1), entry(2), entry(3), { ...entry(1), id: workLogId(entry(1).requester, entry(1).taskId, '3SECOND'), assignmentId: '3SECOND' }]);
    const found = await entriesForTasks([
      { requester: entry(1).requester, taskId: entry(1).taskId },
      { requester: entry(3).requester, taskId: entry(3).taskId },
      { requester: entry(2).requester, taskId: entry(3).taskId }, // a task of another requester: no match
    ]);
    expect(found.map((e) => e.id).sort()).toEqual([entry(1).id, workLogId(entry(1).requester, entry(1).taskId, '3SECOND'), entry(3).id].sort());
    expect(await entriesForTasks([])).toEqual([]);
  });

  it('entriesForTasks follows writes after its group list is loaded, and clearing', async () => {
    await putEntries([entry(1)]);
    const asked = [{ requester: R1, taskId: G1 }, { requester: entry(1).requester, taskId: entry(1).taskId }];
    expect((await entriesForTasks(asked)).map((e) => e.id)).toEqual([entry(1).id]); // loads the list
    await recordObservations([obs({ event: 'accepted', assignmentId: '3AX' })], ON, NOW);
    expect((await entriesForTasks(asked)).map((e) => e.id).sort()).toEqual([entry(1).id, workLogId(R1, G1, '3AX')].sort());
    await clearWorkLog();
    expect(await entriesForTasks(asked)).toEqual([]);
    await putEntries([entry(1)]);
    expect((await entriesForTasks(asked)).map((e) => e.id)).toEqual([entry(1).id]);
  });

  it('entriesForTasks: 1,000 groups against 5,000 entries finds exactly the 500 the log holds', async () => {
    // Speed is bench:warning's (Chromium, 50,000 entries); this checks the answer.
    await putEntries(Array.from({ length: 5_000 }, (_, i) => entry(i)));
    const keys = Array.from({ length: 1000 }, (_, i) => (i % 2 ? { requester: entry(i * 5).requester, taskId: entry(i * 5).taskId } : { requester: R1, taskId: `3X${i}` }));
    const found = await entriesForTasks(keys);
    expect(found).toHaveLength(500);
    expect(new Set(found.map((e) => e.id))).toEqual(new Set(keys.filter((_, i) => i % 2).map((k) => entry(keys.indexOf(k) * 5).id)));
  });

  it('reviewable: decided, unreviewed, newest decision first; markReviewed takes the group out', async () => {
    await putEntries([
      entry(1, { outcome: 'approved', decidedAt: NOW - 100 }),
      entry(2, { outcome: 'rejected', decidedAt: NOW - 50 }),
      entry(3, { outcome: 'pending' }),
      entry(4, { outcome: 'approved', decidedAt: NOW, reviewed: true }),
      entry(5),
    ]);
    expect((await reviewableTasks()).map((e) => e.id)).toEqual([entry(2).id, entry(1).id]);
    expect(await markReviewed(entry(2).requester, entry(2).taskId)).toBe(1);
    expect((await reviewableTasks()).map((e) => e.id)).toEqual([entry(1).id]);
    expect(await entryForTask(entry(2).requester, entry(2).taskId)).toMatchObject({ reviewed: true, outcome: 'rejected' });
  });

  it('clear empties the log', async () => {
    await putEntries([entry(1), entry(2)]);
    await clearWorkLog();
    expect(await countWorkLog()).toBe(0);
    expect((await queryWorkLog({})).total).toBe(0);
  });
});

describe('database upgrade', () => {
  it('version 2 adds the work log and keeps what version 1 stored', async () => {
    await deleteDatabase();
    // A version-1 database as the previous release left it, with an outbox item.
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(DB_NAME, 1);
      open.onupgradeneeded = () => {
        const database = open.result;
        for (const [name, keyPath] of [['rowsA', 'bucket'], ['rowsB', 'bucket'], ['outbox', 'id'], ['buckets', 'prefix']] as const) database.createObjectStore(name, { keyPath });
        database.createObjectStore('meta');
        open.transaction!.objectStore('outbox').put({ id: 'kept', state: 'queued' });
        open.transaction!.objectStore('meta').put({ version: 'v9' }, 'sync');
      };
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error);
    });
    const upgraded = await db();
    expect(upgraded.version).toBe(2);
    expect(await upgraded.get('outbox', 'kept')).toMatchObject({ id: 'kept' });
    expect(await upgraded.get('meta', 'sync')).toMatchObject({ version: 'v9' });
    await recordObservations([obs({})], ON, NOW);
    expect(await countWorkLog()).toBe(1);
  });
});
