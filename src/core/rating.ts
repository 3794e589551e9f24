/**
 * The rating math from design.md, pure and shared: the server computes summaries with
 * `summarize`, the extension decides a worker's warning level with `assess` (the
 * worker's own thresholds apply, so the level is decided locally, not by the server).
 */
import type { Currency, Rules, Thresholds } from './rules.js';
import type { Assessment, Level, Reason, Sample } from './assessment.js';
import { RATING_DIMENSIONS, type IssueTag, type Money, type Outcome, type RatingDimension } from './fields.js';
import type { HourlyPay, RatingStat, RequesterSummary, WindowStats } from './summary.js';
import type { RequesterKey } from './requester-key.js';

const DAY_MS = 86_400_000;

/** What aggregation needs of one visible (not hidden, not held) review. */
export interface ReviewFacts {
  account: string | number;
  established: boolean;
  createdAt: number;
  reward: Money;
  bonusCents: number;
  minutes: number | null;
  finished: boolean;
  outcome: Outcome;
  daysToDecision: number | null;
  ratings: Record<RatingDimension, number | null>;
  tags: readonly IssueTag[];
}

export interface ReportFacts {
  account: string | number;
  /** Older than the rules' established age and not muted, when it reported. */
  established: boolean;
  reportedAt: number;
}

export interface IssueFlagFacts extends ReportFacts {
  reason: IssueTag;
}

export interface SummaryInput {
  key: RequesterKey;
  name: string;
  reviews: readonly ReviewFacts[];
  heldReviews: number;
  suspensions: readonly ReportFacts[];
  issueFlags: readonly IssueFlagFacts[];
  confirmed: { suspension: boolean; phishing: boolean };
  /** Task groups an incident links to suspensions (server: from the incidents table). */
  suspectTasks?: RequesterSummary['suspectTasks'];
}

export function shrinkRating(sum: number, count: number, rules: Rules): RatingStat {
  if (count === 0) return { mean: null, raw: null, count: 0, tooFew: true };
  const { prior, weight } = rules.shrinkage;
  return {
    mean: (sum + prior * weight) / (count + weight),
    raw: sum / count,
    count,
    tooFew: count < rules.tooFewBelow,
  };
}

/**
 * Hourly pay as a ratio of sums (Σreward ÷ Σtime), over finished tasks with a recorded,
 * non-zero time. Currencies are never added together or converted: the currency with
 * the most minutes worked is reported, the others are counted in `otherCurrencyTasks`.
 */
export function hourlyPay(reviews: readonly ReviewFacts[]): HourlyPay | null {
  const byCurrency = new Map<Currency, { cents: number; minutes: number; tasks: number }>();
  for (const r of reviews) {
    if (!r.finished || r.minutes === null || r.minutes <= 0) continue;
    const acc = byCurrency.get(r.reward.currency) ?? { cents: 0, minutes: 0, tasks: 0 };
    acc.cents += r.reward.cents + r.bonusCents;
    acc.minutes += r.minutes;
    acc.tasks += 1;
    byCurrency.set(r.reward.currency, acc);
  }
  let main: [Currency, { cents: number; minutes: number; tasks: number }] | null = null;
  let totalTasks = 0;
  for (const entry of byCurrency) {
    totalTasks += entry[1].tasks;
    if (!main || entry[1].minutes > main[1].minutes) main = entry;
  }
  if (!main) return null;
  const [currency, acc] = main;
  return {
    currency,
    centsPerHour: (acc.cents / acc.minutes) * 60,
    tasks: acc.tasks,
    otherCurrencyTasks: totalTasks - acc.tasks,
  };
}

export function windowStats(reviews: readonly ReviewFacts[], rules: Rules): WindowStats {
  const ratings = {} as Record<RatingDimension, RatingStat>;
  for (const dim of RATING_DIMENSIONS) {
    let sum = 0;
    let count = 0;
    for (const r of reviews) {
      const value = r.ratings[dim];
      if (value !== null) {
        sum += value;
        count += 1;
      }
    }
    ratings[dim] = shrinkRating(sum, count, rules);
  }
  let approved = 0;
  let rejected = 0;
  let daysSum = 0;
  let daysCount = 0;
  for (const r of reviews) {
    if (r.outcome === 'approved') approved += 1;
    else if (r.outcome === 'rejected') rejected += 1;
    else continue;
    if (r.daysToDecision !== null) {
      daysSum += r.daysToDecision;
      daysCount += 1;
    }
  }
  const decided = approved + rejected;
  return {
    reviews: reviews.length,
    ratings,
    hourly: hourlyPay(reviews),
    rejectionShare: decided === 0 ? null : rejected / decided,
    decided,
    meanDaysToDecision: daysCount === 0 ? null : daysSum / daysCount,
  };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Distinct established accounts, counted once each, and the earliest report among them. */
function distinctEstablished(reports: readonly ReportFacts[], since: number) {
  const accounts = new Set<string | number>();
  let first: number | null = null;
  for (const r of reports) {
    if (!r.established || r.reportedAt < since) continue;
    accounts.add(r.account);
    if (first === null || r.reportedAt < first) first = r.reportedAt;
  }
  return { count: accounts.size, first };
}

export function summarize(input: SummaryInput, now: number, rules: Rules): RequesterSummary {
  const recentFrom = now - rules.recentDays * DAY_MS;
  const recentReviews = input.reviews.filter((r) => r.createdAt >= recentFrom);

  const windowFrom = now - rules.danger.suspensionWindowDays * DAY_MS;
  const suspended = distinctEstablished(input.suspensions, windowFrom);
  let since = suspended.first;
  if (since === null && input.confirmed.suspension && input.suspensions.length > 0) {
    since = Math.min(...input.suspensions.map((s) => s.reportedAt));
  }

  // An issue counts once per established account, whether it came as a review tag or a flag.
  const issueAccounts: Record<IssueTag, Set<string | number>> = {
    unpaid_screener: new Set(),
    broken: new Set(),
    personal_data: new Set(),
    phishing: new Set(),
  };
  for (const r of input.reviews) {
    if (r.established) for (const tag of r.tags) issueAccounts[tag].add(r.account);
  }
  for (const f of input.issueFlags) if (f.established) issueAccounts[f.reason].add(f.account);

  return {
    key: input.key,
    name: input.name,
    recent: windowStats(recentReviews, rules),
    allTime: windowStats(input.reviews, rules),
    suspensions: {
      accounts: suspended.count,
      since: since === null ? null : isoDate(since),
      confirmed: input.confirmed.suspension,
    },
    issues: {
      unpaid_screener: issueAccounts.unpaid_screener.size,
      broken: issueAccounts.broken.size,
      personal_data: issueAccounts.personal_data.size,
      phishing: issueAccounts.phishing.size,
    },
    phishingConfirmed: input.confirmed.phishing,
    held: input.heldReviews,
    suspectTasks: input.suspectTasks ? [...input.suspectTasks] : [],
  };
}

/** The last 90 days when they hold enough data, else all time. */
function pickWindow<T>(summary: RequesterSummary, pick: (w: WindowStats) => T | null, enough: (v: T) => boolean) {
  const recent = pick(summary.recent);
  if (recent !== null && enough(recent)) return recent;
  const all = pick(summary.allTime);
  return all !== null && enough(all) ? all : null;
}

/** Held reviews don't count: a requester known only from held reviews is still unknown. */
function hasAnyData(s: RequesterSummary): boolean {
  return (
    s.allTime.reviews > 0 ||
    s.suspensions.accounts > 0 ||
    s.suspensions.confirmed ||
    s.phishingConfirmed ||
    Object.values(s.issues).some((n) => n > 0)
  );
}

/**
 * The hourly pay to show and compare: the last 90 days when they hold enough tasks, else
 * all time when it does; with too few anywhere, the window with the most tasks, marked so.
 */
export function shownPay(summary: RequesterSummary, rules: Rules): Sample['pay'] {
  const minSample = rules.caution.minSample;
  const enough = pickWindow(summary, (w) => w.hourly, (h) => h.tasks >= minSample);
  const few = enough ? null : [summary.allTime.hourly, summary.recent.hourly].reduce((a, b) => (b && (!a || b.tasks > a.tasks) ? b : a), null);
  const pay = enough ?? few;
  return pay ? { centsPerHour: pay.centsPerHour, currency: pay.currency, tasks: pay.tasks, enough: enough !== null } : null;
}

/** The warning level a worker sees, with its reasons, most serious first. */
export function assess(summary: RequesterSummary | null, thresholds: Thresholds, rules: Rules): Assessment {
  if (!summary || !hasAnyData(summary)) return { level: 'unknown', reasons: [] };
  const sample: Sample = { reviews: summary.allTime.reviews, needed: rules.caution.minSample, ratingsNeeded: rules.tooFewBelow, pay: shownPay(summary, rules) };
  const assessed = assessLevel(summary, thresholds, rules);
  // Too few reviews for a level: neutral, never "ok". Dangers and cautions that need no
  // sample (suspension reports) are said at once.
  if (assessed.level === 'ok' && sample.reviews < sample.needed) return { level: 'unknown', reasons: assessed.reasons, sample };
  return { ...assessed, sample };
}

function assessLevel(summary: RequesterSummary, thresholds: Thresholds, rules: Rules): Assessment {
  const danger: Reason[] = [];
  const caution: Reason[] = [];
  const { suspensions } = summary;

  if (suspensions.confirmed || suspensions.accounts >= rules.danger.suspensionAccounts) {
    danger.push({ code: 'suspensions', accounts: suspensions.accounts, confirmed: suspensions.confirmed });
  } else if (suspensions.accounts > 0) {
    caution.push({ code: 'suspension_reports', accounts: suspensions.accounts });
  }
  const phishingAccounts = Math.max(summary.issues.phishing, summary.issues.personal_data);
  if (summary.phishingConfirmed || phishingAccounts >= rules.danger.phishingAccounts) {
    danger.push({ code: 'phishing', accounts: phishingAccounts, confirmed: summary.phishingConfirmed });
  }

  const minSample = rules.caution.minSample;
  const pay = pickWindow(summary, (w) => w.hourly, (h) => h.tasks >= minSample);
  const payThreshold = pay ? thresholds.minHourlyCents[pay.currency] : undefined;
  if (pay && payThreshold !== undefined && pay.centsPerHour < payThreshold) {
    caution.push({ code: 'low_pay', centsPerHour: pay.centsPerHour, thresholdCents: payThreshold, currency: pay.currency });
  }
  const window = pickWindow(summary, (w) => w, (w) => w.decided >= minSample);
  if (window && window.rejectionShare !== null && window.rejectionShare >= rules.caution.rejectionShare) {
    caution.push({ code: 'rejections', share: window.rejectionShare, thresholdShare: rules.caution.rejectionShare });
  }
  if (thresholds.minRating !== null) {
    for (const dimension of RATING_DIMENSIONS) {
      const stat = summary.allTime.ratings[dimension];
      if (stat.mean !== null && !stat.tooFew && stat.mean < thresholds.minRating) {
        caution.push({ code: 'low_rating', dimension, mean: stat.mean, threshold: thresholds.minRating });
      }
    }
  }
  const level: Level = danger.length > 0 ? 'danger' : caution.length > 0 ? 'caution' : 'ok';
  return { level, reasons: [...danger, ...caution] };
}
