/**
 * The compact wire encoding of a requester summary: a tuple of integers and strings,
 * used by the sync feed, the replica, and lookups between background and content script.
 * Its own module so the content script can decode rows without the rest of the protocol.
 */
import * as z from 'zod/mini';
import { shrinkRating } from './rating.js';
import { RequesterKey } from './requester-key.js';
import { int, type Rules } from './rules.js';
import { Currency, ISSUE_TAGS } from './fields.js';
import type { RatingStat, RequesterSummary, WindowStats } from './summary.js';


/** A nullable number scaled to an integer: `null` stays `null`. */
const scaled = z.nullable(int(0));
/**
 * [sum of the ratings given, how many], or 0 for a rating nobody gave. Integers are exact;
 * the shrunk mean, the raw mean and "too few" follow from them and the published rules.
 */
const EncodedRating = z.union([z.literal(0), z.tuple([int(1), int(1)])]);
/** [currency, cents/hour rounded, tasks, tasks in other currencies], or 0 for none. */
const EncodedHourly = z.union([z.literal(0), z.tuple([Currency, int(0), int(1), int(0)])]);
/**
 * [reviews, pay, fairness, speed, communication, hourly, rejected, decided, mean days×10],
 * 0 when the window is empty, or (recent window only) 1 when it equals the all-time one.
 */
const WindowTuple = z.tuple([int(1), EncodedRating, EncodedRating, EncodedRating, EncodedRating, EncodedHourly, int(0), int(0), scaled]);
const EncodedWindow = z.union([z.literal(0), WindowTuple]);
const EncodedRecentWindow = z.union([z.literal(0), z.literal(1), WindowTuple]);

/** [taskId, 1 = investigating | 2 = confirmed, accounts, since (week's Monday)]. */
const EncodedSuspectTask = z.tuple([z.string().check(z.minLength(1), z.maxLength(64)), z.union([z.literal(1), z.literal(2)]), int(0), z.iso.date()]);

/**
 * One requester's summary as a tuple: [key, name, recent, allTime,
 * [suspension accounts, since | null, confirmed 0/1], [issue counts in ISSUE_TAGS order],
 * phishingConfirmed 0/1, held, suspect tasks?]. Only integers and strings, so the
 * canonical text (and so the checksum) is the same in every JavaScript engine. The suspect
 * tasks come last and only when there are some: every other row keeps its text (and digest).
 */
export const EncodedSummary = z.tuple([
  RequesterKey,
  z.string().check(z.maxLength(200)),
  EncodedRecentWindow,
  EncodedWindow,
  z.tuple([int(0), z.nullable(z.iso.date()), int(0, 1)]),
  z.tuple([int(0), int(0), int(0), int(0)]),
  int(0, 1),
  int(0),
  z.optional(z.array(EncodedSuspectTask).check(z.minLength(1), z.maxLength(50))),
]);
export type EncodedSummary = z.infer<typeof EncodedSummary>;
type EncodedWindowT = z.infer<typeof EncodedWindow>;
type EncodedRatingT = z.infer<typeof EncodedRating>;

const bit = (b: boolean) => (b ? 1 : 0);

function encodeRating(s: RatingStat): EncodedRatingT {
  if (s.count === 0 || s.raw === null) return 0;
  return [Math.round(s.raw * s.count), s.count];
}

function encodeWindow(w: WindowStats): EncodedWindowT {
  if (w.reviews === 0) return 0;
  const h = w.hourly;
  return [
    w.reviews,
    encodeRating(w.ratings.pay),
    encodeRating(w.ratings.fairness),
    encodeRating(w.ratings.speed),
    encodeRating(w.ratings.communication),
    h === null ? 0 : [h.currency, Math.round(h.centsPerHour), h.tasks, h.otherCurrencyTasks],
    w.rejectionShare === null ? 0 : Math.round(w.rejectionShare * w.decided),
    w.decided,
    w.meanDaysToDecision === null ? null : Math.round(w.meanDaysToDecision * 10),
  ];
}

export function encodeSummary(s: RequesterSummary): EncodedSummary {
  const allTime = encodeWindow(s.allTime);
  const recent = encodeWindow(s.recent);
  const row: EncodedSummary = [
    s.key,
    s.name,
    recent !== 0 && JSON.stringify(recent) === JSON.stringify(allTime) ? 1 : recent,
    allTime,
    [s.suspensions.accounts, s.suspensions.since, bit(s.suspensions.confirmed)],
    [s.issues.unpaid_screener, s.issues.broken, s.issues.personal_data, s.issues.phishing],
    bit(s.phishingConfirmed),
    s.held,
  ];
  if (s.suspectTasks.length > 0) {
    row.push(s.suspectTasks.map((t) => [t.taskId, t.state === 'confirmed' ? 2 : 1, t.accounts, t.since] as const) as never);
  }
  return row;
}

function decodeWindow(w: EncodedWindowT, rules: Rules): WindowStats {
  const rating = (r: EncodedRatingT) => (r === 0 ? shrinkRating(0, 0, rules) : shrinkRating(r[0], r[1], rules));
  if (w === 0) {
    const none = rating(0);
    return {
      reviews: 0,
      ratings: { pay: none, fairness: none, speed: none, communication: none },
      hourly: null,
      rejectionShare: null,
      decided: 0,
      meanDaysToDecision: null,
    };
  }
  const h = w[5];
  return {
    reviews: w[0],
    ratings: { pay: rating(w[1]), fairness: rating(w[2]), speed: rating(w[3]), communication: rating(w[4]) },
    hourly: h === 0 ? null : { currency: h[0], centsPerHour: h[1], tasks: h[2], otherCurrencyTasks: h[3] },
    rejectionShare: w[7] === 0 ? null : w[6] / w[7],
    decided: w[7],
    meanDaysToDecision: w[8] === null ? null : w[8] / 10,
  };
}

/**
 * The inverse of `encodeSummary` under the published `rules` (shrinkage and "too few"
 * come from them); exact except hourly pay (to 1 cent/h) and days to decision (to 0.1).
 */
export function decodeSummary(row: EncodedSummary, rules: Rules): RequesterSummary {
  const [key, name, recent, allTime, susp, issues, phishingConfirmed, held, suspects] = row;
  return {
    key,
    name,
    recent: decodeWindow(recent === 1 ? allTime : recent, rules),
    allTime: decodeWindow(allTime, rules),
    suspensions: { accounts: susp[0], since: susp[1], confirmed: susp[2] === 1 },
    issues: { unpaid_screener: issues[0], broken: issues[1], personal_data: issues[2], phishing: issues[3] },
    phishingConfirmed: phishingConfirmed === 1,
    held,
    suspectTasks: (suspects ?? []).map(([taskId, state, accounts, since]) => ({ taskId, state: state === 2 ? 'confirmed' : 'investigating', accounts, since })),
  };
}
// The issue tuple above follows this order; a change to ISSUE_TAGS must fail to compile here.
const ISSUE_ORDER: readonly ['unpaid_screener', 'broken', 'personal_data', 'phishing'] = ISSUE_TAGS;
void ISSUE_ORDER;

