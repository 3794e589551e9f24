/**
 * The "I was suspended" form's working data, kept free of browser APIs so it is unit
 * tested: work-log entries grouped into pickable tasks per requester, typed requester
 * ids read into keys, and a delivered report turned back into an editable payload.
 */
import { requesterFromInput, requesterFromName } from '../../core/requester-input.js';
import type { RequesterKey } from '../../core/requester-key.js';
import { weekStart, type SuspensionReportInput } from '../../core/schemas.js';
import type { OwnSuspensionReport } from '../../core/sync-protocol.js';
import type { WorkLogEntry } from '../../core/work-log.js';

/** The schema's limits (SuspensionReportInput): the form stops offering more before them. */
export const MAX_REPORT_TASKS = 50;
export const MAX_NAMED_REQUESTERS = 20;
export const REPORT_DAY_CHOICES = [7, 14, 30, 60, 120] as const;

/** One task group the worker may tick; several assignments of one group are one task here. */
export interface PickableTask {
  requester: RequesterKey;
  requesterName: string;
  taskId: string;
  taskTitle: string;
  /** When the worker last did it (submitted, else accepted, else last seen); null when unknown. */
  doneAt: number | null;
  /** Assignments of this group in the log (a worker may do one group many times). */
  times: number;
}

export interface RequesterGroup {
  requester: RequesterKey;
  requesterName: string;
  tasks: PickableTask[];
}

export const pickId = (task: { requester: string; taskId: string }) => `${task.requester}\n${task.taskId}`;

/** The log's entries (newest first) as task groups, grouped by requester in order of latest work. */
export function groupEntries(entries: readonly WorkLogEntry[], picked: Iterable<PickableTask> = []): RequesterGroup[] {
  const groups = new Map<string, RequesterGroup>();
  const tasks = new Map<string, PickableTask>();
  const add = (task: PickableTask) => {
    const id = pickId(task);
    const known = tasks.get(id);
    if (known) {
      known.times += task.times;
      if (task.doneAt !== null && (known.doneAt === null || task.doneAt > known.doneAt)) known.doneAt = task.doneAt;
      if (!known.taskTitle) known.taskTitle = task.taskTitle;
      return;
    }
    const copy = { ...task };
    tasks.set(id, copy);
    let group = groups.get(task.requester);
    if (!group) {
      group = { requester: task.requester, requesterName: task.requesterName || task.requester, tasks: [] };
      groups.set(task.requester, group);
    }
    group.tasks.push(copy);
  };
  for (const e of entries) {
    add({
      requester: e.requester,
      requesterName: e.requesterName,
      taskId: e.taskId,
      taskTitle: e.taskTitle,
      doneAt: e.submittedAt ?? e.acceptedAt ?? e.lastAt,
      times: 1,
    });
  }
  // Ticked tasks stay on screen whatever the search or the days chosen.
  for (const task of picked) if (!tasks.has(pickId(task))) add({ ...task, times: 0 });
  return [...groups.values()];
}

/**
 * What a worker typed as a requester: an id, a link to the requester's page or a Lantern
 * key (core/requester-input.ts, the blocklist reads the same) — or, with no id, a name
 * (some platforms' pages show only that). Null: not readable.
 */
export function readTypedRequester(idText: string, nameText: string): RequesterKey | null {
  if (idText.trim() === '') return nameText.trim() ? requesterFromName(nameText) : null;
  return requesterFromInput(idText);
}

export interface NamedRequester {
  requester: RequesterKey;
  requesterName: string;
}

/** The payload for `suspension` / `suspension-edit`: each task with its own requester. */
export function reportPayload(input: {
  tasks: Iterable<PickableTask>;
  named: readonly NamedRequester[];
  suspendedOn: string;
  reinstated: boolean;
  note: string;
}): SuspensionReportInput {
  const tasks = [...input.tasks].map((task) => ({
    requester: task.requester,
    requesterName: task.requesterName || task.requester,
    taskId: task.taskId,
    taskTitle: task.taskTitle,
  }));
  const withTasks = new Set(tasks.map((task) => task.requester));
  return {
    tasks,
    requesters: input.named.filter((r) => !withTasks.has(r.requester)).map((r) => ({ requester: r.requester, requesterName: r.requesterName || r.requester })),
    suspendedOn: input.suspendedOn,
    reinstated: input.reinstated,
    note: input.note,
  };
}

/** How many tasks and distinct requesters a report would name (the form's summary line). */
export function reportCounts(payload: SuspensionReportInput): { tasks: number; requesters: number } {
  const requesters = new Set<string>();
  if (payload.requester) requesters.add(payload.requester);
  for (const task of payload.tasks ?? []) requesters.add(task.requester ?? payload.requester ?? '');
  for (const r of payload.requesters ?? []) requesters.add(r.requester);
  requesters.delete('');
  return { tasks: payload.tasks?.length ?? 0, requesters: requesters.size };
}

/**
 * A payload as the form's state: picked tasks and named requesters. Reads both shapes:
 * the per-task one, and a report queued before issue 11 (one requester at the top).
 */
export function picksFromPayload(payload: SuspensionReportInput): { tasks: PickableTask[]; named: NamedRequester[] } {
  const tasks: PickableTask[] = (payload.tasks ?? []).map((task) => ({
    requester: (task.requester ?? payload.requester) as RequesterKey,
    requesterName: task.requesterName ?? payload.requesterName ?? task.requester ?? '',
    taskId: task.taskId,
    taskTitle: task.taskTitle,
    doneAt: null,
    times: 0,
  }));
  const named: NamedRequester[] = [...(payload.requesters ?? [])];
  if (payload.requester && !tasks.some((task) => task.requester === payload.requester)) {
    named.unshift({ requester: payload.requester, requesterName: payload.requesterName ?? payload.requester });
  }
  return { tasks, named };
}

/** A delivered report (from the server) as the payload that edits it. */
export function payloadFromReport(report: OwnSuspensionReport, changes: { reinstated?: boolean } = {}): SuspensionReportInput {
  return reportPayload({
    tasks: report.tasks.map((task) => ({ ...task, doneAt: null, times: 0 })),
    named: report.requesters,
    suspendedOn: report.suspendedWeek,
    reinstated: changes.reinstated ?? report.reinstated,
    // The author's own note goes back unchanged: "I was reinstated" must not erase it.
    note: report.note,
  });
}

/** Every requester a report names (of a task or alone), first mention first. */
export function requestersOf(payload: SuspensionReportInput): NamedRequester[] {
  const { tasks, named } = picksFromPayload(payload);
  const seen = new Map<string, NamedRequester>();
  for (const r of [...tasks, ...named]) if (!seen.has(r.requester)) seen.set(r.requester, { requester: r.requester, requesterName: r.requesterName || r.requester });
  return [...seen.values()];
}

/** "2 March 2026": the Monday of a date's week, the only day the server keeps; '' if not a date. */
export function weekLabel(date: string, locale?: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return '';
  const monday = new Date(`${weekStart(date)}T00:00:00Z`);
  return Number.isNaN(monday.getTime()) ? '' : new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(monday);
}
