/** A requester's warning level for one worker, and the reasons, as badges show them. */
import * as z from 'zod/mini';
import { int, num } from './rules.js';
import { Currency, RATING_DIMENSIONS } from './fields.js';

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

/**
 * How much data a level rests on, so a badge can say how few ("1 review", "$7.50/h · 2
 * tasks") and a card can say why no level is given. Below `needed` counted reviews (the
 * published `rules.caution.minSample`) the level stays 'unknown' unless a danger or a
 * caution that needs no sample applies: one review is never a green "ok".
 */
export const Sample = z.object({
  /** Counted (visible, not held) reviews, all time. */
  reviews: int(0),
  /** Reviews a level needs, and data points a pay or rejection caution needs. */
  needed: int(1),
  /** Ratings a rating needs before it is compared with the worker's minimum (rules.tooFewBelow). */
  ratingsNeeded: z.optional(int(1)),
  /** The hourly pay shown: the window the caution would use, on how many tasks, and whether enough to compare. */
  pay: z.nullable(z.object({ centsPerHour: num(0), currency: Currency, tasks: int(0), enough: z.boolean() })),
});
export type Sample = z.infer<typeof Sample>;

export const Assessment = z.object({ level: Level, reasons: z.array(Reason), sample: z.optional(Sample) });
export type Assessment = z.infer<typeof Assessment>;
