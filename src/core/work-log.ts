/**
 * The work log (issue 11): every task the worker previewed, accepted, submitted or
 * returned, kept ONLY in this browser (IndexedDB, background/work-log.ts). It is never
 * sent anywhere as a whole: a suspension report carries only the tasks the worker picks,
 * and suspect task groups are matched against it locally.
 */
import * as z from 'zod/mini';
import { RequesterKey } from './requester-key.js';
import { int } from './rules.js';
import { displayText, Money, Outcome, TaskId } from './fields.js';

const WORK_LOG_DEFAULT_RETENTION_DAYS = 120;
/** The log keeps at most this many entries (oldest dropped first), whatever the retention. */
export const WORK_LOG_CAP = 100_000;

/** What a page showed about one task, as the content script read it. */
const WORK_EVENTS = ['previewed', 'accepted', 'submitted', 'returned', 'status'] as const;
export const WorkObservation = z.strictObject({
  requester: RequesterKey,
  requesterName: displayText(200),
  /** The task group (MTurk: HIT group / project id; Prolific: study id). */
  taskId: TaskId,
  /** One assignment of the group (MTurk assignment id) when the page shows it; else null. */
  assignmentId: z.nullable(TaskId),
  taskTitle: displayText(300),
  reward: z.nullable(Money),
  event: z.enum(WORK_EVENTS),
  /** When it happened, if the page says (status details: the date submitted); else now. */
  at: z.nullable(int(0)),
  /** Status details / a decided task: the outcome shown. */
  outcome: z.nullable(Outcome),
});
export type WorkObservation = z.infer<typeof WorkObservation>;

/** One task in the work log. */
export const WorkLogEntry = z.object({
  /** `${requester}|${taskId}|${assignmentId ?? ''}` */
  id: z.string(),
  requester: RequesterKey,
  requesterName: z.string(),
  taskId: TaskId,
  assignmentId: z.nullable(z.string()),
  taskTitle: z.string(),
  reward: z.nullable(Money),
  firstSeenAt: int(0),
  acceptedAt: z.nullable(int(0)),
  submittedAt: z.nullable(int(0)),
  returnedAt: z.nullable(int(0)),
  outcome: z.nullable(Outcome),
  /** When a status page first showed the outcome as approved or rejected. */
  decidedAt: z.nullable(int(0)),
  /** Latest of the times above: what retention counts from. */
  lastAt: int(0),
  /** The worker reviewed this task from this browser. */
  reviewed: z.boolean(),
});
export type WorkLogEntry = z.infer<typeof WorkLogEntry>;

export function workLogId(requester: string, taskId: string, assignmentId: string | null): string {
  return `${requester}|${taskId}|${assignmentId ?? ''}`;
}

export const WorkLogSettings = z.strictObject({
  enabled: z.boolean(),
  retentionDays: int(1, 3650),
});
export type WorkLogSettings = z.infer<typeof WorkLogSettings>;
export const DEFAULT_WORK_LOG_SETTINGS: WorkLogSettings = { enabled: true, retentionDays: WORK_LOG_DEFAULT_RETENTION_DAYS };

/**
 * A task of the worker's own log that a replicated incident names: found in this browser,
 * never reported anywhere. Kept so the popup can show it and a notification goes out once.
 */
export const SuspectMatch = z.object({
  /** `${requester}|${taskId}` */
  id: z.string(),
  requester: RequesterKey,
  requesterName: z.string(),
  taskId: TaskId,
  taskTitle: z.string(),
  /** When the worker did it (the latest of their entries of this group). */
  workedAt: int(0),
  state: z.enum(['investigating', 'confirmed']),
  accounts: int(0),
  since: z.iso.date(),
  matchedAt: int(0),
  /** Notified about this state already (a later "confirmed" notifies again). */
  notifiedState: z.nullable(z.enum(['investigating', 'confirmed'])),
  dismissed: z.boolean(),
});
export type SuspectMatch = z.infer<typeof SuspectMatch>;

export const AlertSettings = z.strictObject({
  /** Browser notifications for suspect matches (the popup banner shows regardless). */
  notify: z.boolean(),
});
export type AlertSettings = z.infer<typeof AlertSettings>;
export const DEFAULT_ALERT_SETTINGS: AlertSettings = { notify: true };
