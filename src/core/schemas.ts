/**
 * The data Lantern moves around: what a worker submits (reviews, suspension reports,
 * flags) and what the server computes and replicates (requester summaries).
 * Every part validates with these same schemas, so an error names the same field
 * in the popup, the background and the server.
 */
import * as z from 'zod/mini';
import { RequesterKey } from './requester-key.js';
import { Currency, int, num } from './rules.js';

export { RequesterKey } from './requester-key.js';
export { Currency } from './rules.js';

/** 1–5, or null for "n/a". */
export const Rating = z.nullable(int(1, 5));
export const RATING_DIMENSIONS = ['pay', 'fairness', 'speed', 'communication'] as const;
export type RatingDimension = (typeof RATING_DIMENSIONS)[number];

export const ISSUE_TAGS = ['unpaid_screener', 'broken', 'personal_data', 'phishing'] as const;
export const IssueTag = z.enum(ISSUE_TAGS);
export type IssueTag = z.infer<typeof IssueTag>;

export const OUTCOMES = ['approved', 'rejected', 'pending', 'returned'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

const ID_CHARS = /^[0-9A-Za-z_-]+$/;
/** Task ids: MTurk group ids (30 chars) or Prolific study ids; permissive but plain. */
export const TaskId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(ID_CHARS, 'letters, digits, "_" and "-" only'));

/** Display text from a platform page: trimmed, bounded, no control characters. */
const displayText = (max: number) =>
  z.string().check(
    z.trim(),
    z.maxLength(max),
    z.refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'control characters are not allowed'),
  );
const freeText = (max: number) => z._default(z.string().check(z.trim(), z.maxLength(max)), '');

export const RequesterName = displayText(200).check(z.minLength(1));

/** Money in minor units (cents, pence): integers keep sums exact. */
export const Money = z.strictObject({ cents: int(0, 1_000_000), currency: Currency });
export type Money = z.infer<typeof Money>;

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

/** One rating dimension in a summary. `mean` is shrunk toward the middle; `raw` is not. */
export const RatingStat = z.object({
  mean: z.nullable(num(1, 5)),
  raw: z.nullable(num(1, 5)),
  count: int(0),
  tooFew: z.boolean(),
});
export type RatingStat = z.infer<typeof RatingStat>;

export const HourlyPay = z.object({
  currency: Currency,
  centsPerHour: num(0),
  /** Finished tasks with a time that went into the ratio. */
  tasks: int(1),
  /** Finished tasks in other currencies: never added in, never converted. */
  otherCurrencyTasks: int(0),
});
export type HourlyPay = z.infer<typeof HourlyPay>;

export const WindowStats = z.object({
  reviews: int(0),
  ratings: z.object({ pay: RatingStat, fairness: RatingStat, speed: RatingStat, communication: RatingStat }),
  hourly: z.nullable(HourlyPay),
  /** Rejected ÷ decided (approved + rejected); null when nothing was decided. */
  rejectionShare: z.nullable(num(0, 1)),
  decided: int(0),
  meanDaysToDecision: z.nullable(num(0)),
});
export type WindowStats = z.infer<typeof WindowStats>;

export const RequesterSummary = z.object({
  key: RequesterKey,
  name: z.string().check(z.maxLength(200)),
  recent: WindowStats,
  allTime: WindowStats,
  suspensions: z.object({
    /** Distinct established accounts reporting within the danger window. */
    accounts: int(0),
    since: z.nullable(z.iso.date()),
    confirmed: z.boolean(),
  }),
  /** Distinct established accounts per issue (review tags and requester flags). */
  issues: z.object({ unpaid_screener: int(0), broken: int(0), personal_data: int(0), phishing: int(0) }),
  phishingConfirmed: z.boolean(),
  /** Reviews held for moderation (brigade or flags): not in any aggregate. */
  held: int(0),
});
export type RequesterSummary = z.infer<typeof RequesterSummary>;

export const LEVELS = ['unknown', 'ok', 'caution', 'danger'] as const;
export const Level = z.enum(LEVELS);
export type Level = z.infer<typeof Level>;

/** Why a requester got its level; codes map to `_locales` strings. */
export const Reason = z.discriminatedUnion('code', [
  z.object({ code: z.literal('suspensions'), accounts: int(0), confirmed: z.boolean() }),
  z.object({ code: z.literal('phishing'), accounts: int(0), confirmed: z.boolean() }),
  z.object({ code: z.literal('suspension_reports'), accounts: int(0) }),
  z.object({ code: z.literal('low_pay'), centsPerHour: num(0), thresholdCents: num(0), currency: Currency }),
  z.object({ code: z.literal('rejections'), share: num(0, 1), thresholdShare: num(0, 1) }),
  z.object({ code: z.literal('low_rating'), dimension: z.enum(RATING_DIMENSIONS), mean: num(1, 5), threshold: num(1, 5) }),
]);
export type Reason = z.infer<typeof Reason>;

export const Assessment = z.object({ level: Level, reasons: z.array(Reason) });
export type Assessment = z.infer<typeof Assessment>;
