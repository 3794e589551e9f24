/**
 * The data Lantern moves around: what a worker submits (reviews, suspension reports,
 * flags) and what the server computes and replicates (requester summaries).
 * Every part validates with these same schemas, so an error names the same field
 * in the popup, the background and the server.
 *
 * Split in modules by who needs them — fields.ts, assessment.ts, summary.ts and the
 * inputs here — so the content script, which must stay small, bundles only the first
 * two; this module re-exports them all for everyone else.
 */
import * as z from 'zod/mini';
import { RequesterKey } from './requester-key.js';
import { int, num, REVIEW_MIN_TEXT } from './rules.js';
import { displayText, freeText, ID_CHARS, IssueTag, ISSUE_TAGS, Money, Outcome, Rating, RequesterName, TaskId } from './fields.js';

export * from './fields.js';
export * from './assessment.js';
export * from './summary.js';
export { RequesterKey } from './requester-key.js';

/**
 * A review's fields, without the rule that it must say something. Only for reading what
 * older releases stored (an outbox item queued before the rule must still load, and then
 * be refused in words for the worker to edit); everything sent is a ReviewInput.
 */
export const ReviewFields = z.strictObject({
  requester: RequesterKey,
  requesterName: RequesterName,
  taskId: TaskId,
  taskTitle: displayText(300),
  reward: Money,
  /** Bonuses count toward reward when reported; same currency as the reward. */
  bonusCents: z._default(int(0, 1_000_000), 0),
  /** Minutes worked; null when not recorded. Decimals allowed (0.5 = 30 s). */
  minutes: z.nullable(num(0, 7 * 24 * 60)),
  finished: z.boolean(),
  outcome: Outcome,
  daysToDecision: z.nullable(num(0, 365)),
  ratings: z.strictObject({ pay: Rating, fairness: Rating, speed: Rating, communication: Rating }),
  text: freeText(2000),
  tags: z._default(
    z.array(IssueTag).check(
      z.maxLength(ISSUE_TAGS.length),
      z.refine((tags) => new Set(tags).size === tags.length, 'tags must not repeat'),
    ),
    [],
  ),
});

/** A rating or a text of REVIEW_MIN_TEXT characters: a review that says nothing would still move pay and levels. */
export const hasSubstance = (r: { ratings: Record<string, number | null | undefined>; text?: string | undefined }): boolean =>
  Object.values(r.ratings).some((v) => v !== null && v !== undefined) || (r.text ?? '').trim().length >= REVIEW_MIN_TEXT;

export const REVIEW_SAYS_NOTHING = `give at least one rating or write at least ${REVIEW_MIN_TEXT} characters`;

export const ReviewInput = ReviewFields.check(z.refine(hasSubstance, { message: REVIEW_SAYS_NOTHING, path: ['text'] }));
export type ReviewInput = z.input<typeof ReviewInput>;
export type Review = z.output<typeof ReviewInput>;

/** One task a suspended worker picked from their browser-only work log; it keeps its own requester. */
const SuspendedTask = z.strictObject({
  /** Absent only in reports queued by releases before issue 11: the report's `requester` then. */
  requester: z.optional(RequesterKey),
  requesterName: z.optional(RequesterName),
  taskId: TaskId,
  taskTitle: displayText(300),
});

/**
 * "My account was suspended." Filed from the popup's home (no platform page needed): the
 * worker picks tasks from their work log across requesters, each keeping its own requester,
 * and may name requesters without a task (typed, when the log is empty). One submission
 * reports every requester involved. `requester`/`requesterName` at the top are the shape
 * of releases before issue 11 (one requester per report); outboxes may still hold those,
 * so they are still taken. `normalizeSuspensionReport` gives the one shape everyone uses.
 */
export const SuspensionReportInput = z
  .strictObject({
    requester: z.optional(RequesterKey),
    requesterName: z.optional(RequesterName),
    /** Only the tasks the worker picked from their browser-only work log. */
    tasks: z._default(z.array(SuspendedTask).check(z.maxLength(50)), []),
    /** Requesters named without a task (typed by id or name). */
    requesters: z._default(z.array(z.strictObject({ requester: RequesterKey, requesterName: RequesterName })).check(z.maxLength(20)), []),
    /** Any day of the week of the suspension; stored as that week's Monday (see `weekStart`). */
    suspendedOn: z.iso.date(),
    reinstated: z._default(z.boolean(), false),
    /** Seen by moderators only; deleted a published number of days after the incident closes. */
    note: freeText(2000),
  })
  .check(
    z.refine((r) => r.requester !== undefined || r.tasks.length > 0 || r.requesters.length > 0, {
      message: 'pick at least one task or name a requester',
      path: ['tasks'],
    }),
    z.refine((r) => r.tasks.every((t) => t.requester !== undefined || r.requester !== undefined), {
      message: 'each task needs its requester',
      path: ['tasks'],
    }),
    z.refine((r) => (r.requester === undefined) === (r.requesterName === undefined), {
      message: 'requester and requesterName go together',
      path: ['requesterName'],
    }),
  );
export type SuspensionReportInput = z.input<typeof SuspensionReportInput>;

/** A report in its one shape: every task with its requester, every requester involved listed once. */
export interface SuspensionReport {
  tasks: { requester: RequesterKey; requesterName: string; taskId: string; taskTitle: string }[];
  /** Every requester involved (of a task, or named alone), first mention first. */
  requesters: { requester: RequesterKey; requesterName: string }[];
  /** The Monday of the suspension's week (YYYY-MM-DD). */
  suspendedWeek: string;
  reinstated: boolean;
  note: string;
}

/** The Monday (UTC) of the ISO week holding `date` (YYYY-MM-DD): suspension dates are kept to the week. */
export function weekStart(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

export function normalizeSuspensionReport(input: z.output<typeof SuspensionReportInput>): SuspensionReport {
  const tasks: SuspensionReport['tasks'] = [];
  const seenTasks = new Set<string>();
  const requesters = new Map<RequesterKey, string>();
  const legacyName = input.requesterName ?? '';
  if (input.requester) requesters.set(input.requester, legacyName);
  for (const t of input.tasks) {
    const requester = (t.requester ?? input.requester) as RequesterKey;
    const requesterName = t.requesterName ?? (t.requester === undefined || t.requester === input.requester ? legacyName : '') ?? '';
    const id = `${requester}\n${t.taskId}`;
    if (seenTasks.has(id)) continue;
    seenTasks.add(id);
    tasks.push({ requester, requesterName: requesterName || requester, taskId: t.taskId, taskTitle: t.taskTitle });
    if (!requesters.has(requester) || !requesters.get(requester)) requesters.set(requester, requesterName || requester);
  }
  for (const r of input.requesters) if (!requesters.has(r.requester)) requesters.set(r.requester, r.requesterName);
  return {
    tasks,
    requesters: [...requesters].map(([requester, requesterName]) => ({ requester, requesterName: requesterName || requester })),
    suspendedWeek: weekStart(input.suspendedOn),
    reinstated: input.reinstated,
    note: input.note,
  };
}

export const REQUESTER_FLAG_REASONS = ['personal_data', 'phishing', 'broken', 'unpaid_screener'] as const;
export const RequesterFlagInput = z.strictObject({
  requester: RequesterKey,
  requesterName: RequesterName,
  reason: z.enum(REQUESTER_FLAG_REASONS),
  taskId: z.optional(TaskId),
  note: freeText(2000),
});
export type RequesterFlagInput = z.input<typeof RequesterFlagInput>;

/** Turkopticon 2's flag reasons, plus "other" with a written reason. */
export const REVIEW_FLAG_REASONS = [
  'insults',
  'profanity_or_racism',
  'threats',
  'discloses_screener',
  'excessive_caps_or_ascii_art',
  'requester_self_review',
  'malicious_or_false',
  'inconsistent',
  'incorrect_tos_claim',
  'other',
] as const;
export const ReviewFlagInput = z
  .strictObject({
    reviewId: z.string().check(z.minLength(1), z.maxLength(64), z.regex(ID_CHARS)),
    reason: z.enum(REVIEW_FLAG_REASONS),
    note: freeText(2000),
  })
  .check(
    z.refine((f) => f.reason !== 'other' || f.note.length >= 20, {
      message: 'a flag for "other" needs a note of at least 20 characters',
      path: ['note'],
    }),
  );
export type ReviewFlagInput = z.input<typeof ReviewFlagInput>;

