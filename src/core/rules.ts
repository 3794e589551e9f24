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

/**
 * Suspension early warning (issue 11): when reports of suspensions after one task group
 * become an incident, and when its task group is replicated to every browser.
 */
export const IncidentRules = z.object({
  /** Reports count toward an incident only within this many days of each other (by report time). */
  windowDays: int(1, 365),
  /** An incident opens when this many distinct established accounts name one task group within the window. */
  openAccounts: int(1),
  /** Its task group is replicated as "under investigation" from this many (a moderator's "confirm" replicates it at once). */
  investigateAccounts: int(1),
  /** A requester-wide incident opens when its reports within the window reach rateFactor × its own baseline … */
  rateFactor: num(1),
  /** … and at least this many distinct established accounts (so one report on a quiet requester never does). */
  rateMinAccounts: int(1),
  /** The baseline: reports per window over this many days before the window. */
  baselineDays: int(1, 3650),
  /** Moderator-only notes of reports are deleted this many days after their incident closes. */
  noteRetentionDays: int(0, 3650),
});
export type IncidentRules = z.infer<typeof IncidentRules>;

const DEFAULT_INCIDENT_RULES: IncidentRules = {
  windowDays: 14,
  openAccounts: 2,
  investigateAccounts: 3,
  rateFactor: 4,
  rateMinAccounts: 3,
  baselineDays: 180,
  noteRetentionDays: 30,
};

/**
 * What a review must say (issue 12): a review with no rating and next to no text says
 * nothing, yet it counts in pay and levels. The minimum text length is enforced by the
 * shared ReviewInput schema (server and extension alike); the hourly bounds only make the
 * form ask "are you sure?" — a worker may really have earned that much or that little.
 */
export const REVIEW_MIN_TEXT = 20;
export const ReviewRules = z.object({
  /** A review needs at least one rating or a text of at least this many characters. */
  minTextLength: int(0, 2000),
  /** The form asks for confirmation when reward ÷ time worked is above this (minor units per hour) … */
  confirmHourlyAboveCents: int(0),
  /** … or below this. */
  confirmHourlyBelowCents: int(0),
});
export type ReviewRules = z.infer<typeof ReviewRules>;

export const DEFAULT_REVIEW_RULES: ReviewRules = {
  minTextLength: REVIEW_MIN_TEXT,
  confirmHourlyAboveCents: 10_000,
  confirmHourlyBelowCents: 50,
};

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
  /** Absent from rules published before issue 11: those read with the defaults. */
  incidents: z._default(IncidentRules, DEFAULT_INCIDENT_RULES),
  /** Absent from rules published before issue 12: those read with the defaults. */
  reviews: z._default(ReviewRules, DEFAULT_REVIEW_RULES),
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
  incidents: DEFAULT_INCIDENT_RULES,
  reviews: DEFAULT_REVIEW_RULES,
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
