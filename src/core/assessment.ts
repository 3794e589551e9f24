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

export const Assessment = z.object({ level: Level, reasons: z.array(Reason) });
export type Assessment = z.infer<typeof Assessment>;
