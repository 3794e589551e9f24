/** The small building blocks of Lantern's schemas: ratings, outcomes, task ids, money. */
import * as z from 'zod/mini';
import { Currency, int } from './rules.js';

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

export const ID_CHARS = /^[0-9A-Za-z_-]+$/;
/** Task ids: MTurk group ids (30 chars) or Prolific study ids; permissive but plain. */
export const TaskId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(ID_CHARS, 'letters, digits, "_" and "-" only'));

/** Display text from a platform page: trimmed, bounded, no control characters. */
export const displayText = (max: number) =>
  z.string().check(
    z.trim(),
    z.maxLength(max),
    z.refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'control characters are not allowed'),
  );
/** Optional free text: trimmed, bounded, empty when absent. */
export const freeText = (max: number) => z._default(z.string().check(z.trim(), z.maxLength(max)), '');

export const RequesterName = displayText(200).check(z.minLength(1));

/** Money in minor units (cents, pence): integers keep sums exact. */
export const Money = z.strictObject({ cents: int(0, 1_000_000), currency: Currency });
export type Money = z.infer<typeof Money>;

