/**
 * The published rules: every threshold the server and the extension apply.
 * The server publishes a versioned copy at /v1/rules; these are version 1's values
 * and the defaults the extension uses before it has synced.
 */
import * as z from 'zod/mini';

/** zod/mini (not full zod) throughout the core: it keeps the content script small. */
export const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.int().check(z.minimum(min), z.maximum(max));
export const num = (min: number, max = Number.MAX_VALUE) => z.number().check(z.minimum(min), z.maximum(max));

export const Currency = z.enum(['USD', 'GBP', 'EUR']);
export type Currency = z.infer<typeof Currency>;

export const Rules = z.object({
  version: int(1),
  /** Ratings are shrunk toward `prior` as if `weight` extra reviews had given it. */
  shrinkage: z.object({ prior: num(1, 5), weight: num(0) }),
  /** Fewer reviews than this (per rating) are marked "too few reviews". */
  tooFewBelow: int(1),
  recentDays: int(1),
  danger: z.object({
    suspensionAccounts: int(1),
    suspensionWindowDays: int(1),
    phishingAccounts: int(1),
    establishedAfterDays: int(0),
  }),
  caution: z.object({
    rejectionShare: num(0, 1),
    /** Pay and rejection cautions need at least this many data points. */
    minSample: int(1),
  }),
  moderation: z.object({
    flagsToHold: int(1),
    brigade: z.object({ youngAccountDays: int(0), windowHours: int(1), accounts: int(1) }),
  }),
});
export type Rules = z.infer<typeof Rules>;

export const DEFAULT_RULES: Rules = {
  version: 1,
  shrinkage: { prior: 3, weight: 5 },
  tooFewBelow: 5,
  recentDays: 90,
  danger: { suspensionAccounts: 3, suspensionWindowDays: 60, phishingAccounts: 3, establishedAfterDays: 7 },
  caution: { rejectionShare: 0.1, minSample: 3 },
  moderation: { flagsToHold: 3, brigade: { youngAccountDays: 7, windowHours: 24, accounts: 3 } },
};

/** A worker's own thresholds (options page). Pay in minor units (cents, pence) per hour. */
export const Thresholds = z.object({
  minHourlyCents: z.partialRecord(Currency, int(0, 100_000)),
  /** Minimum shrunk rating (1–5) of any rated dimension; null = no rating filter. */
  minRating: z.nullable(num(1, 5)),
});
export type Thresholds = z.infer<typeof Thresholds>;

export const DEFAULT_THRESHOLDS: Thresholds = {
  // US federal minimum wage, as TurkerView used; Prolific's own floor for GBP.
  minHourlyCents: { USD: 725, GBP: 600 },
  minRating: null,
};
