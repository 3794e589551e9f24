/** A requester's summary as the server computes it and every browser replicates it. */
import * as z from 'zod/mini';
import { RequesterKey } from './requester-key.js';
import { int, num } from './rules.js';
import { Currency } from './fields.js';

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

/**
 * A task group of this requester that an incident links to suspensions: every browser
 * matches these against its own work log, locally (issue 11).
 */
const SUSPECT_STATES = ['investigating', 'confirmed'] as const;
export const SuspectTask = z.object({
  taskId: z.string().check(z.minLength(1), z.maxLength(64)),
  /** "investigating": enough established accounts reported it (automatic); "confirmed": a moderator. */
  state: z.enum(SUSPECT_STATES),
  /** Distinct established accounts that reported a suspension after this task, within the window. */
  accounts: int(0),
  /** The week (its Monday) of the first report of the incident. */
  since: z.iso.date(),
});
export type SuspectTask = z.infer<typeof SuspectTask>;

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
  /** Task groups under investigation or confirmed as followed by suspensions; empty for nearly all. */
  suspectTasks: z.array(SuspectTask).check(z.maxLength(50)),
});
export type RequesterSummary = z.infer<typeof RequesterSummary>;

