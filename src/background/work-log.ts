/**
 * The work log's store: every task the worker previewed, accepted, submitted or returned,
 * and its outcome once a status page showed it — in this browser's IndexedDB only. Nothing
 * here talks to the network; a suspension report carries only the tasks the worker picks,
 * and suspect task groups are matched against it locally (`entriesForTasks`).
 *
 * This module takes the worker's settings as arguments (it never reads extension storage),
 * so it runs under unit tests with fake-indexeddb as it runs in the service worker.
 *
 * How observations become entries (one entry per assignment where the page names it):
 * - An observation with an assignment id updates that assignment's entry. When none exists
 *   yet but the group has an entry without an assignment id that is still open (previewed
 *   or accepted, nothing submitted, returned or decided), that entry was the start of this
 *   assignment — the preview before accepting, or the task page recorded without its id —
 *   so it is folded into the new assignment entry instead of being left beside it.
 * - An observation without an assignment id (a preview, a Prolific study, the task page's
 *   `content/task-seen`) updates the group's latest assignment entry when that one is still
 *   open and was active within the last day: the same piece of work seen again. Otherwise
 *   it updates (or starts) the group's one entry without an assignment id: a new preview
 *   after finished work is new activity, not a change to the finished one.
 */
import { WORK_LOG_CAP, workLogId, type WorkLogEntry, type WorkLogSettings, type WorkObservation } from '../core/work-log.js';
import { db } from './db.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** How long an open assignment still counts as "the same activity" for an id-less observation. */
const SAME_ACTIVITY_MS = DAY_MS;

const groupKey = (requester: string, taskId: string) => `${requester}|${taskId}`;
const minOf = (a: number | null, b: number) => (a === null ? b : Math.min(a, b));
const decided = (outcome: WorkLogEntry['outcome']) => outcome === 'approved' || outcome === 'rejected';

/** Nothing submitted, returned or decided yet: the worker may still be on it. */
function isOpen(entry: WorkLogEntry): boolean {
  return entry.submittedAt === null && entry.returnedAt === null && entry.outcome === null;
}

/**
 * One observation applied to an entry (or to nothing: a new entry). Pure. First seen and
 * accepted keep the earliest time; names, title and reward follow the page when it says;
 * an outcome the status page shows is kept, and a decided one is never taken back to
 * pending by an older view; lastAt is the latest of all times (what retention counts from).
 */
function mergeObservation(prev: WorkLogEntry | null, obs: WorkObservation, id: string, now: number): WorkLogEntry {
  const at = obs.at ?? now;
  const next: WorkLogEntry = prev
    ? { ...prev }
    : {
        id,
        requester: obs.requester,
        requesterName: obs.requesterName,
        taskId: obs.taskId,
        assignmentId: obs.assignmentId,
        taskTitle: obs.taskTitle,
        reward: obs.reward,
        firstSeenAt: at,
        acceptedAt: null,
        submittedAt: null,
        returnedAt: null,
        outcome: null,
        decidedAt: null,
        lastAt: at,
        reviewed: false,
      };
  next.id = id;
  next.assignmentId = obs.assignmentId ?? next.assignmentId;
  if (obs.requesterName) next.requesterName = obs.requesterName;
  if (obs.taskTitle) next.taskTitle = obs.taskTitle;
  if (obs.reward) next.reward = obs.reward;
  next.firstSeenAt = Math.min(next.firstSeenAt, at);
  if (obs.event === 'accepted') next.acceptedAt = minOf(next.acceptedAt, at);
  if (obs.event === 'submitted') next.submittedAt = minOf(next.submittedAt, at);
  if (obs.event === 'returned') next.returnedAt = minOf(next.returnedAt, at);
  const outcome = obs.outcome ?? (obs.event === 'returned' ? 'returned' : null);
  if (outcome) {
    // Status details list a task on the day it was submitted (or returned).
    if (outcome === 'returned') next.returnedAt = minOf(next.returnedAt, at);
    else if (obs.event === 'status') next.submittedAt = minOf(next.submittedAt, at);
    if (decided(outcome)) {
      if (next.outcome !== outcome) next.decidedAt = Math.max(now, at);
      next.outcome = outcome;
    } else if (!decided(next.outcome)) {
      next.outcome = outcome;
    }
  }
  next.lastAt = Math.max(next.lastAt, at, next.acceptedAt ?? 0, next.submittedAt ?? 0, next.returnedAt ?? 0, next.decidedAt ?? 0);
  return next;
}

function sameEntry(a: WorkLogEntry, b: WorkLogEntry): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Entries counted in this worker, so the cap costs no count() per write. Null: unknown. */
let knownCount: number | null = null;

/**
 * Every (requester, task group) the log holds, in memory: matching asks about a thousand
 * groups after each sync, and a Set answers without reading the log. Loaded once per worker
 * start from the primary keys. Only ever added to (a deleted entry's group may linger:
 * matching then reads the group and finds nothing, which is harmless; a missing group would
 * hide a match, which is not); reset by clearing, and left behind when the worker stops.
 */
let groups: Set<string> | null = null;
/** Bumped by every write, so a load that raced one is not trusted. */
let writes = 0;

const groupOfId = (id: string) => id.slice(0, id.lastIndexOf('|'));

function noteGroups(ids: Iterable<string>): void {
  writes += 1;
  if (groups) for (const id of ids) groups.add(groupOfId(id));
}

async function knownGroups(): Promise<Set<string>> {
  while (!groups) {
    const before = writes;
    const ids = (await (await db()).getAllKeys('workLog')) as string[];
    if (writes === before) groups = new Set(ids.map(groupOfId));
  }
  return groups;
}

export interface RecordResult {
  /** Entries added or changed. */
  recorded: number;
  /** The entry each observation ended in, in order (null when the log is off). */
  entries: (WorkLogEntry | null)[];
}

/** Writes a batch of observations in one transaction, then applies retention and the cap. */
export async function recordObservations(
  observations: readonly WorkObservation[],
  settings: WorkLogSettings,
  now = Date.now(),
  cap = WORK_LOG_CAP,
): Promise<RecordResult> {
  if (!settings.enabled || observations.length === 0) return { recorded: 0, entries: observations.map(() => null) };
  const tx = (await db()).transaction('workLog', 'readwrite');
  const store = tx.store;
  const byGroup = new Map<string, WorkLogEntry[]>();
  const changed = new Set<string>();
  const result: WorkLogEntry[] = [];
  let added = 0;
  for (const obs of observations) {
    const gk = groupKey(obs.requester, obs.taskId);
    let entries = byGroup.get(gk);
    if (!entries) {
      entries = await store.index('group').getAll([obs.requester, obs.taskId]);
      byGroup.set(gk, entries);
    }
    const at = obs.at ?? now;
    let target: WorkLogEntry | null = null;
    let folded: WorkLogEntry | null = null;
    if (obs.assignmentId !== null) {
      target = entries.find((e) => e.assignmentId === obs.assignmentId) ?? null;
      if (!target) folded = entries.find((e) => e.assignmentId === null && isOpen(e)) ?? null;
    } else {
      const latest = entries.filter((e) => e.assignmentId !== null).sort((a, b) => b.lastAt - a.lastAt)[0];
      if (latest && isOpen(latest) && Math.abs(at - latest.lastAt) < SAME_ACTIVITY_MS) target = latest;
      else target = entries.find((e) => e.assignmentId === null) ?? null;
    }
    const id = target?.id ?? workLogId(obs.requester, obs.taskId, obs.assignmentId);
    const next = mergeObservation(target ?? folded, obs, id, now);
    if (folded) {
      await store.delete(folded.id);
      entries.splice(entries.indexOf(folded), 1);
      added -= 1;
    }
    if (target && sameEntry(target, next)) {
      result.push(target);
      continue;
    }
    if (target) entries[entries.indexOf(target)] = next;
    else {
      entries.push(next);
      added += 1;
    }
    await store.put(next);
    changed.add(id);
    result.push(next);
  }
  await tx.done;
  noteGroups(changed);
  if (knownCount !== null) knownCount += added;
  await pruneWorkLog(settings.retentionDays, now, cap);
  if (changed.size > 0) for (const listener of loggedListeners) listener();
  return { recorded: changed.size, entries: result };
}

const loggedListeners: (() => void)[] = [];
/**
 * Told after observations added or changed entries: a task done after its incident reached
 * this browser is matched then, not only at the next replica change.
 */
export function onWorkLogged(listener: () => void): void {
  loggedListeners.push(listener);
}

/**
 * Drops entries whose latest activity is older than the retention, then the oldest beyond
 * the cap. Walks the lastAt index from the oldest end: nothing to drop costs one cursor step.
 */
export async function pruneWorkLog(retentionDays: number, now = Date.now(), cap = WORK_LOG_CAP): Promise<number> {
  const database = await db();
  const tx = database.transaction('workLog', 'readwrite');
  const index = tx.store.index('lastAt');
  knownCount ??= await tx.store.count();
  let dropped = 0;
  const cutoff = now - retentionDays * DAY_MS;
  for (let cursor = await index.openCursor(IDBKeyRange.upperBound(cutoff, true)); cursor; cursor = await cursor.continue()) {
    await cursor.delete();
    dropped += 1;
  }
  knownCount -= dropped;
  // A count kept in memory may be stale (the database was deleted under it): recount
  // before dropping anything for the cap.
  if (knownCount > cap) knownCount = await tx.store.count();
  if (knownCount > cap) {
    let excess = knownCount - cap;
    for (let cursor = await index.openCursor(); cursor && excess > 0; cursor = await cursor.continue()) {
      await cursor.delete();
      excess -= 1;
      dropped += 1;
      knownCount -= 1;
    }
  }
  await tx.done;
  return dropped;
}

/** Writes whole entries as they are (imports, benchmarks, tests). */
export async function putEntries(entries: readonly WorkLogEntry[]): Promise<void> {
  const tx = (await db()).transaction('workLog', 'readwrite');
  for (const entry of entries) void tx.store.put(entry);
  await tx.done;
  noteGroups(entries.map((e) => e.id));
  knownCount = null;
}

/**
 * Every entry of the given (requester, task group) pairs — what the suspect-task matcher
 * asks after each sync. Once the group list is in memory (`knownGroups`), only groups the
 * log holds are read, in one transaction; a worker who did none of them costs no read at
 * all. Before that (a worker just started), each pair is looked up in the group index —
 * cost follows the pairs, not the log — while the list loads for the next time.
 */
export async function entriesForTasks(keys: readonly { requester: string; taskId: string }[]): Promise<WorkLogEntry[]> {
  if (keys.length === 0) return [];
  const known = groups;
  if (!known) void knownGroups().catch(() => undefined);
  const wanted = new Map<string, { requester: string; taskId: string }>();
  for (const key of keys) {
    const group = groupKey(key.requester, key.taskId);
    if (!known || known.has(group)) wanted.set(group, key);
  }
  if (wanted.size === 0) return [];
  const index = (await db()).transaction('workLog', 'readonly').store.index('group');
  const found = await Promise.all([...wanted.values()].map((k) => index.getAll([k.requester, k.taskId])));
  return found.flat();
}

/** Loads the in-memory group list now (at start-up), so the first match after a sync is fast. */
export async function warmWorkLog(): Promise<number> {
  return (await knownGroups()).size;
}

export interface WorkLogQuery {
  search?: string;
  sinceDays?: number | undefined;
  requester?: string | undefined;
  offset?: number;
  limit?: number;
}

function matchesWords(entry: WorkLogEntry, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const text = `${entry.requesterName}\n${entry.requester}\n${entry.taskTitle}\n${entry.taskId}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

const newestFirst = (a: WorkLogEntry, b: WorkLogEntry) => b.lastAt - a.lastAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Newest first, filtered; `total` counts every match, not just the page returned. */
export async function queryWorkLog(query: WorkLogQuery, now = Date.now()): Promise<{ entries: WorkLogEntry[]; total: number }> {
  const words = (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 100;
  const range = query.sinceDays ? IDBKeyRange.lowerBound(now - query.sinceDays * DAY_MS) : null;
  const tx = (await db()).transaction('workLog', 'readonly');
  const byTime = tx.store.index('lastAt');
  if (words.length === 0 && !query.requester) {
    // The common case (the options table, page by page): count and walk, no full read.
    const total = await byTime.count(range ?? undefined);
    const entries: WorkLogEntry[] = [];
    let cursor = await byTime.openCursor(range, 'prev');
    if (cursor && offset > 0) cursor = await cursor.advance(offset);
    for (; cursor && entries.length < limit; cursor = await cursor.continue()) entries.push(cursor.value);
    return { entries, total };
  }
  const candidates = query.requester
    ? await tx.store.index('group').getAll(IDBKeyRange.bound([query.requester], [query.requester, '\uffff']))
    : await byTime.getAll(range);
  const since = range ? now - query.sinceDays! * DAY_MS : -Infinity;
  const matching = candidates.filter((e) => e.lastAt >= since && matchesWords(e, words)).sort(newestFirst);
  return { entries: matching.slice(offset, offset + limit), total: matching.length };
}

/** Every entry, newest first (the export). */
export async function allEntries(): Promise<WorkLogEntry[]> {
  return (await (await db()).getAll('workLog')).sort(newestFirst);
}

/**
 * The entry a review form prefills from: of the group's entries, a decided one (it has an
 * outcome and days to decision) before an undecided one, then the latest.
 */
export async function entryForTask(requester: string, taskId: string): Promise<WorkLogEntry | null> {
  const entries = await (await db()).getAllFromIndex('workLog', 'group', [requester, taskId]);
  entries.sort((a, b) => Number(decided(b.outcome)) - Number(decided(a.outcome)) || newestFirst(a, b));
  return entries[0] ?? null;
}

/** How many reviewable tasks the popup is offered at most. */
const REVIEWABLE_LIMIT = 200;

/** Decided (approved or rejected) and not reviewed from this browser, newest decision first. */
export async function reviewableTasks(limit = REVIEWABLE_LIMIT): Promise<WorkLogEntry[]> {
  const entries = (await (await db()).getAll('workLog')).filter((e) => decided(e.outcome) && !e.reviewed);
  entries.sort((a, b) => (b.decidedAt ?? 0) - (a.decidedAt ?? 0) || newestFirst(a, b));
  // One per task group: a review is of the group, whichever assignment was decided.
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(groupKey(e.requester, e.taskId)) && seen.add(groupKey(e.requester, e.taskId))).slice(0, limit);
}

/**
 * A review of (requester, task group) was submitted: every entry of the group counts as
 * reviewed, so it leaves "tasks you could review". Call when the review is queued.
 */
export async function markReviewed(requester: string, taskId: string): Promise<number> {
  const tx = (await db()).transaction('workLog', 'readwrite');
  const entries = await tx.store.index('group').getAll([requester, taskId]);
  const unreviewed = entries.filter((e) => !e.reviewed);
  for (const entry of unreviewed) void tx.store.put({ ...entry, reviewed: true });
  await tx.done;
  return unreviewed.length;
}

export async function clearWorkLog(): Promise<void> {
  await (await db()).clear('workLog');
  writes += 1;
  groups = new Set();
  knownCount = 0;
}

export async function countWorkLog(): Promise<number> {
  return (await db()).count('workLog');
}
