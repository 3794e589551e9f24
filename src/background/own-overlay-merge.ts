/**
 * The pure half of the author's overlay (own-overlay.ts): how the author's own pending or
 * just-delivered reviews change a requester's summary and review list until the next sync
 * brings the server's row. It works with the core rating code (`summarize`, `shrinkRating`,
 * `hourlyPay`) so the numbers read exactly as the server's would wherever the summary
 * holds enough to redo them:
 * - a requester with no row yet (the usual case: "yours can be the first") is summarized
 *   from the author's reviews alone, exactly as the server does;
 * - ratings, review counts, decided/rejected are sums in the row, so adding or taking
 *   out one review is exact;
 * - hourly pay is a ratio of sums and the row keeps only the ratio and the task count:
 *   the author's task is weighted as one task among them (an estimate, for the seconds
 *   until the sync that follows delivery brings the server's exact figure).
 * Issue counts are not touched: they count distinct established accounts, which the
 * browser cannot know (the author may be young, or already counted).
 */
import { RATING_DIMENSIONS } from '../core/fields.js';
import { hourlyPay, shrinkRating, summarize, type ReviewFacts } from '../core/rating.js';
import type { RequesterKey } from '../core/requester-key.js';
import type { Rules } from '../core/rules.js';
import type { HourlyPay, RequesterSummary, WindowStats } from '../core/summary.js';
import type { PublicReview } from '../core/public-review.js';

const DAY_MS = 86_400_000;

/** One change the author made to one requester's reviews, as the overlay keeps it. */
export interface OverlayChange {
  requester: RequesterKey;
  requesterName: string;
  /** The review before the change (edit, delete), when the browser knows it; counted out. */
  before: PublicReview | null;
  /** Whether `before` was in the aggregates (visible) when known. */
  beforeCounted: boolean;
  /** The review after the change (new, edit); null for a delete. */
  after: PublicReview | null;
  /** The server held or hid it (brigade rule): in `held`, not in any aggregate. */
  afterHeld: boolean;
}

export function factsOf(review: PublicReview): ReviewFacts {
  return {
    account: 'self',
    // Only issue counts read this, and the overlay leaves them alone.
    established: false,
    createdAt: Date.parse(`${review.createdOn}T00:00:00Z`),
    reward: review.reward,
    bonusCents: review.bonusCents,
    minutes: review.minutes,
    finished: review.finished,
    outcome: review.outcome,
    daysToDecision: review.daysToDecision,
    ratings: review.ratings,
    tags: review.tags,
  };
}

function combineHourly(base: HourlyPay | null, own: HourlyPay, sign: 1 | -1): HourlyPay | null {
  if (!base) return sign > 0 ? own : null;
  if (base.currency !== own.currency) return { ...base, otherCurrencyTasks: Math.max(0, base.otherCurrencyTasks + sign) };
  const tasks = base.tasks + sign;
  if (tasks <= 0) return null;
  return { ...base, tasks, centsPerHour: Math.max(0, (base.centsPerHour * base.tasks + sign * own.centsPerHour) / tasks) };
}

/** `w` with one review added (sign 1) or taken out (sign -1). */
function adjustWindow(w: WindowStats, facts: ReviewFacts, sign: 1 | -1, rules: Rules): WindowStats {
  const ratings = { ...w.ratings };
  for (const dim of RATING_DIMENSIONS) {
    const value = facts.ratings[dim];
    if (value === null) continue;
    const stat = w.ratings[dim];
    // The row stores integer sums; raw × count gives the sum back.
    const sum = Math.round((stat.raw ?? 0) * stat.count) + sign * value;
    const count = stat.count + sign;
    ratings[dim] = count > 0 ? shrinkRating(sum, count, rules) : shrinkRating(0, 0, rules);
  }
  const own = hourlyPay([facts]);
  const hourly = own ? combineHourly(w.hourly, own, sign) : w.hourly;
  let { decided, rejectionShare, meanDaysToDecision } = w;
  if (facts.outcome === 'approved' || facts.outcome === 'rejected') {
    const rejected = Math.round((rejectionShare ?? 0) * decided) + (facts.outcome === 'rejected' ? sign : 0);
    const before = decided;
    decided = Math.max(0, decided + sign);
    rejectionShare = decided === 0 ? null : Math.max(0, rejected) / decided;
    if (facts.daysToDecision !== null) {
      // Days are averaged over decided reviews that gave them; taken here as all decided ones.
      const total = (meanDaysToDecision ?? 0) * before + sign * facts.daysToDecision;
      meanDaysToDecision = decided === 0 ? null : Math.max(0, total / decided);
    }
  }
  return { ...w, reviews: Math.max(0, w.reviews + sign), ratings, hourly, decided, rejectionShare, meanDaysToDecision };
}

/**
 * The summary the author should see: the replica's (or none) with their own changes
 * applied in order. Null only when there was no summary and nothing is left to show.
 */
export function overlaySummary(
  base: RequesterSummary | null,
  changes: readonly OverlayChange[],
  rules: Rules,
  now: number,
): RequesterSummary | null {
  if (changes.length === 0) return base;
  const first = changes[0]!;
  if (!base) {
    // Nothing synced yet: exactly what the server will compute from these reviews alone.
    const visible = changes.filter((c) => c.after && !c.afterHeld).map((c) => factsOf(c.after!));
    const held = changes.filter((c) => c.after && c.afterHeld).length;
    if (visible.length === 0 && held === 0) return null;
    return summarize(
      { key: first.requester, name: first.requesterName, reviews: visible, heldReviews: held, suspensions: [], issueFlags: [], confirmed: { suspension: false, phishing: false } },
      now,
      rules,
    );
  }
  const recentFrom = now - rules.recentDays * DAY_MS;
  let summary: RequesterSummary = base.name ? base : { ...base, name: first.requesterName };
  const apply = (review: PublicReview, sign: 1 | -1) => {
    const facts = factsOf(review);
    summary = {
      ...summary,
      allTime: adjustWindow(summary.allTime, facts, sign, rules),
      recent: facts.createdAt >= recentFrom ? adjustWindow(summary.recent, facts, sign, rules) : summary.recent,
    };
  };
  for (const change of changes) {
    if (change.before && change.beforeCounted) apply(change.before, -1);
    if (change.after && change.afterHeld) summary = { ...summary, held: summary.held + 1 };
    else if (change.after) apply(change.after, 1);
  }
  return summary;
}

/** The review list the author should see: their changed reviews first, replaced or removed ones gone. */
export function overlayReviews(reviews: readonly PublicReview[], changes: readonly OverlayChange[]): PublicReview[] {
  const gone = new Set<string>();
  // In order, so a later edit or delete of the same review wins; newest change first in the list.
  const own = new Map<string, PublicReview>();
  for (const change of changes) {
    if (change.before) {
      gone.add(change.before.id);
      own.delete(change.before.id);
    }
    if (change.after) {
      gone.add(change.after.id);
      own.delete(change.after.id);
      if (!change.afterHeld) own.set(change.after.id, change.after);
    }
  }
  return [...[...own.values()].reverse(), ...reviews.filter((r) => !gone.has(r.id))];
}
