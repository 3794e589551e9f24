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
import { int, num } from './rules.js';
import { displayText, freeText, ID_CHARS, IssueTag, ISSUE_TAGS, Money, Outcome, Rating, RequesterName, TaskId } from './fields.js';

export * from './fields.js';
export * from './assessment.js';
export * from './summary.js';
export { RequesterKey } from './requester-key.js';

export const ReviewInput = z.strictObject({
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
export type ReviewInput = z.input<typeof ReviewInput>;
export type Review = z.output<typeof ReviewInput>;

export const SuspensionReportInput = z.strictObject({
  requester: RequesterKey,
  requesterName: RequesterName,
  /** Only the tasks the worker picked from their browser-only list of recent tasks. */
  tasks: z._default(
    z.array(z.strictObject({ taskId: TaskId, taskTitle: displayText(300) })).check(z.maxLength(20)),
    [],
  ),
  suspendedOn: z.iso.date(),
  reinstated: z._default(z.boolean(), false),
  /** Seen by moderators only. */
  note: freeText(2000),
});
export type SuspensionReportInput = z.input<typeof SuspensionReportInput>;

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

