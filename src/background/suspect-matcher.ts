/**
 * Matches the replica's suspect task groups (suspects.ts) against the worker's own work
 * log, in this browser, after every replica write and at start-up — the shape of exposure
 * notification: every browser receives the list, none says what it found. Nothing here
 * makes a request; a match is stored locally (the `suspectMatches` store), shown by the
 * popup banner and, if the worker allows it, as one browser notification per match and
 * state ("under investigation", then again when "confirmed").
 */
import browser from 'webextension-polyfill';
import type { SuspectTask } from '../core/summary.js';
import type { SuspectMatch, WorkLogEntry } from '../core/work-log.js';
import { coalesced } from './coalesce.js';
import { db } from './db.js';
import { onReplicaWritten } from './replica.js';
import { getSettings } from './settings.js';
import { readSuspects, type SuspectRequester } from './suspects.js';
import { entriesForTasks, onWorkLogged, warmWorkLog } from './work-log.js';

const NOTIFICATION_PREFIX = 'lantern-suspect:';
const matchId = (requester: string, taskId: string) => `${requester}|${taskId}`;

/**
 * Whether an entry means the worker did (some of) the task: accepted, submitted, returned
 * or decided. A preview alone puts no account at risk, and the banner says "you did it".
 */
function didTask(entry: WorkLogEntry): boolean {
  return entry.acceptedAt !== null || entry.submittedAt !== null || entry.returnedAt !== null || entry.outcome !== null;
}

/** When the worker did it: submitted, else accepted, else returned, else first seen. */
function workedAt(entry: WorkLogEntry): number {
  return entry.submittedAt ?? entry.acceptedAt ?? entry.returnedAt ?? entry.firstSeenAt;
}

export interface Reconciled {
  /** Every match to keep, new or updated (dismissed ones included). */
  matches: SuspectMatch[];
  /** Stored matches whose task group is no longer suspect (the incident was dismissed). */
  removed: SuspectMatch[];
}

/**
 * The matches the worker's log and the suspect list give, from what was stored before.
 * Pure. A stored match stays while its task group is suspect (its counts and state follow
 * the replica) even if the log has since dropped the entries; it goes when the group is
 * no longer suspect. A dismissed match stays dismissed, unless its state rose to
 * "confirmed": that is news the worker must see.
 */
export function reconcileMatches(suspects: readonly SuspectRequester[], entries: readonly WorkLogEntry[], stored: readonly SuspectMatch[], now: number): Reconciled {
  const tasks = new Map<string, { requester: SuspectRequester; task: SuspectTask }>();
  for (const requester of suspects) for (const task of requester.tasks) tasks.set(matchId(requester.requester, task.taskId), { requester, task });
  const latest = new Map<string, WorkLogEntry>();
  for (const entry of entries) {
    const id = matchId(entry.requester, entry.taskId);
    if (!tasks.has(id) || !didTask(entry)) continue;
    const seen = latest.get(id);
    if (!seen || workedAt(entry) > workedAt(seen)) latest.set(id, entry);
  }
  const before = new Map(stored.map((m) => [m.id, m]));
  const removed = stored.filter((m) => !tasks.has(m.id));
  const matches: SuspectMatch[] = [];
  for (const [id, { requester, task }] of tasks) {
    const entry = latest.get(id);
    const old = before.get(id);
    if (!entry && !old) continue;
    const escalated = old !== undefined && old.state === 'investigating' && task.state === 'confirmed';
    matches.push({
      id,
      requester: requester.requester,
      requesterName: entry?.requesterName || old?.requesterName || requester.name,
      taskId: task.taskId,
      taskTitle: entry?.taskTitle || old?.taskTitle || '',
      workedAt: Math.max(entry ? workedAt(entry) : 0, old?.workedAt ?? 0),
      state: task.state,
      accounts: task.accounts,
      since: task.since,
      matchedAt: old?.matchedAt ?? now,
      notifiedState: old?.notifiedState ?? null,
      dismissed: (old?.dismissed ?? false) && !escalated,
    });
  }
  return { matches, removed };
}

/** Matches the worker hasn't been notified of in their current state. */
function needsNotification(match: SuspectMatch): boolean {
  return !match.dismissed && match.notifiedState !== match.state;
}

function message(key: string, substitutions?: string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}

/** `<key>_<category>` by the language's plural rules, as ui/i18n.ts `tPlural` does (`$1` is the count). */
function plural(key: string, count: number, substitutions: string[]): string {
  const locale = browser.i18n.getUILanguage() || 'en';
  const values = [new Intl.NumberFormat(locale).format(count), ...substitutions];
  const category = new Intl.PluralRules(locale).select(count);
  return (category !== 'other' && browser.i18n.getMessage(`${key}_${category}`, values)) || message(`${key}_other`, values);
}

/** The notification's words: task, requester, when, how many, confirmed or not. */
function notificationText(match: SuspectMatch): { title: string; message: string } {
  const when = new Date(match.workedAt).toLocaleDateString(browser.i18n.getUILanguage() || 'en', { dateStyle: 'medium' });
  const state = message(match.state === 'confirmed' ? 'suspectStateConfirmed' : 'suspectStateInvestigating');
  return {
    title: message('suspectNotifyTitle'),
    message: plural('pluralSuspectNotifyMessage', match.accounts, [match.taskTitle || match.taskId, match.requesterName || match.requester, when, state]),
  };
}

async function notificationsAllowed(): Promise<boolean> {
  try {
    return await browser.permissions.contains({ permissions: ['notifications'] });
  } catch {
    return false;
  }
}

export async function listMatches(): Promise<SuspectMatch[]> {
  const matches = await (await db()).getAll('suspectMatches');
  return matches.sort((a, b) => b.workedAt - a.workedAt);
}

export interface MatchRun {
  matches: SuspectMatch[];
  removed: SuspectMatch[];
  notified: string[];
}

/** One match: suspect index × work log, stored, notified. */
export async function matchSuspects(now = Date.now()): Promise<MatchRun> {
  const [settings, suspects] = await Promise.all([getSettings(), readSuspects()]);
  const keys = suspects.flatMap((s) => s.tasks.map((task) => ({ requester: s.requester, taskId: task.taskId })));
  // With the log off, nothing new is looked for: the worker asked Lantern to keep no history.
  const entries = settings.workLog.enabled && keys.length > 0 ? await entriesForTasks(keys) : [];
  const database = await db();
  const stored = await database.getAll('suspectMatches');
  const { matches, removed } = reconcileMatches(suspects, entries, stored, now);
  const notified: string[] = [];
  if (settings.alerts.notify && matches.some(needsNotification) && (await notificationsAllowed())) {
    for (const match of matches.filter(needsNotification)) {
      try {
        await browser.notifications.create(NOTIFICATION_PREFIX + match.id, { type: 'basic', iconUrl: browser.runtime.getURL('icons/icon-128.png'), ...notificationText(match) });
        match.notifiedState = match.state;
        notified.push(match.id);
      } catch (error) {
        console.warn('Lantern: suspect-task notification not shown', error);
      }
    }
  }
  // Every sync matches again: write only what changed (usually nothing).
  const before = new Map(stored.map((m) => [m.id, JSON.stringify(m)]));
  const changed = matches.filter((m) => before.get(m.id) !== JSON.stringify(m));
  if (changed.length > 0 || removed.length > 0) {
    const tx = database.transaction('suspectMatches', 'readwrite');
    // The worker may have dismissed a match while this run notified: keep that, same state.
    const current = await Promise.all(changed.map((m) => tx.store.get(m.id)));
    changed.forEach((m, i) => (m.dismissed ||= current[i]?.dismissed === true && current[i]?.state === m.state));
    await Promise.all([...removed.map((m) => tx.store.delete(m.id)), ...changed.map((m) => tx.store.put(m)), tx.done]);
  }
  // A notification about a task that is no longer suspect would now be wrong.
  for (const match of removed) void clearNotification(match.id);
  return { matches, removed, notified };
}

async function clearNotification(id: string): Promise<void> {
  if (!(await notificationsAllowed())) return;
  await browser.notifications.clear(NOTIFICATION_PREFIX + id).catch(() => undefined);
}

/** The worker read a match and put it away: it leaves the banner, and its notification goes. */
export async function dismissMatch(id: string): Promise<void> {
  const tx = (await db()).transaction('suspectMatches', 'readwrite');
  const match = await tx.store.get(id);
  if (!match) throw new Error(`id: no suspect-task match "${id}"`);
  await tx.store.put({ ...match, dismissed: true });
  await tx.done;
  await clearNotification(id);
}

/**
 * The worker cleared their work log: what was found in it goes too (matches and their
 * notifications). The suspect tasks themselves stay in the replica: a task done later is matched again.
 */
export async function forgetMatches(): Promise<void> {
  const database = await db();
  const ids = (await database.getAllKeys('suspectMatches')).map(String);
  await database.clear('suspectMatches');
  await Promise.all(ids.map((id) => clearNotification(id)));
}

/** Matches soon; a call during a run folds into one more run. Resolves when a run as new as the call is done. */
export const matchSuspectsSoon = coalesced(
  () => matchSuspects(),
  (error) => console.warn('Lantern: suspect tasks not matched', error),
);

let listeningToClicks = false;
/**
 * A click on a notification opens the popup's page, where the banner says what to do. The
 * notifications API exists only once the permission is granted: listen at start if it is,
 * else when it is added.
 */
function listenToClicks(): void {
  if (listeningToClicks || !browser.notifications) return;
  listeningToClicks = true;
  browser.notifications.onClicked.addListener((id) => {
    if (!id.startsWith(NOTIFICATION_PREFIX)) return;
    void browser.tabs.create({ url: browser.runtime.getURL('popup.html') });
    void browser.notifications.clear(id);
  });
}

/** After every replica write (a sync that applied a snapshot or changes) and once at start. */
export function keepSuspectMatches(): void {
  // Either side can make a match: new suspects (a replica write) or new work (the log).
  onReplicaWritten(() => void matchSuspectsSoon());
  onWorkLogged(() => void matchSuspectsSoon());
  listenToClicks();
  browser.permissions.onAdded.addListener(() => listenToClicks());
  // The work log's list of task groups the worker did, loaded once per start: a match then
  // reads only the groups the worker did (usually none), whatever the number of suspects.
  void warmWorkLog()
    .catch((error) => console.warn('Lantern: work log not loaded', error))
    .finally(() => void matchSuspectsSoon());
}
