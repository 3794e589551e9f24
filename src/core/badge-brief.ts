/**
 * A badge brief: everything a badge and the task filters show, and nothing more — the
 * level, blocked, under the worker's minimums, reviews held, what the danger is about,
 * and the hourly pay. It packs into one 32-bit number, so the content script can carry
 * every requester's brief (see badge-index.ts) and draw badges in the same moment rows
 * appear, before the background has answered with the full summary.
 *
 * `briefOf` is the one way to make a brief: the background's index and the content
 * script's full lookup answers go through it, so both always draw the same badge.
 */
import type { Assessment, Level } from './assessment.js';
import { LEVELS } from './assessment.js';
import type { Currency } from './rules.js';
import type { RequesterSummary } from './summary.js';

export interface BadgeBrief {
  level: Level;
  blocked: boolean;
  /** Under the worker's pay or rating minimum (what the filters hide or dim). */
  belowMinimums: boolean;
  /** Only held reviews so far (no level yet). */
  held: boolean;
  /** Danger, first of all for phishing or personal-data requests (not suspensions). */
  phishing: boolean;
  pay: { centsPerHour: number; currency: Currency } | null;
  /**
   * Counted reviews, when fewer than a level needs (the badge is neutral and says "1
   * review"); absent otherwise. Capped at MAX_PACKED_COUNT in a packed brief.
   */
  sample?: number;
  /** Tasks the pay rests on, when fewer than a pay caution needs ("$7.50/h · 2 tasks"); absent otherwise. */
  payTasks?: number;
}

export function briefOf(summary: RequesterSummary | null, assessment: Assessment, blocked: boolean): BadgeBrief {
  const sample = assessment.sample;
  // The pay the level was judged on (rating.ts shownPay); an assessment from before samples were said: as it was.
  const hourly = sample ? sample.pay : summary ? (summary.recent.hourly ?? summary.allTime.hourly) : null;
  const brief: BadgeBrief = {
    level: assessment.level,
    blocked,
    belowMinimums: assessment.reasons.some((r) => r.code === 'low_pay' || r.code === 'low_rating'),
    held: (summary?.held ?? 0) > 0,
    phishing: assessment.level === 'danger' && assessment.reasons[0]?.code === 'phishing',
    pay: hourly ? { centsPerHour: Math.round(hourly.centsPerHour), currency: hourly.currency } : null,
  };
  if (sample && assessment.level === 'unknown' && sample.reviews > 0 && sample.reviews < sample.needed) brief.sample = sample.reviews;
  if (sample?.pay && !sample.pay.enough && sample.pay.tasks > 0) brief.payTasks = sample.pay.tasks;
  return brief;
}

/** What a requester the replica doesn't hold shows: "no reviews yet". */
export const UNKNOWN_BRIEF: BadgeBrief = { level: 'unknown', blocked: false, belowMinimums: false, held: false, phishing: false, pay: null };

/** Whether filters hide or dim this requester's tasks, and why. Danger is never hidden. */
export function filterReason(brief: BadgeBrief): 'blocked' | 'threshold' | null {
  if (brief.level === 'danger') return null;
  if (brief.blocked) return 'blocked';
  return brief.belowMinimums ? 'threshold' : null;
}

// Bits of a packed brief, low to high: level (2), blocked, below minimums, held, phishing,
// currency (2: none, USD, GBP, EUR), pay in cents per hour (24; capped).
//
// A small sample (issue 12) needs two counts, and the 32 bits are full. Bit 5 ("phishing")
// was only ever set with level danger, so bit 5 without danger marks the *sample form*:
// sample count (4 bits), pay's task count (4 bits), pay (16 bits, capped at $655.35/h —
// the full answer, which follows within milliseconds, says any more). An index stored by
// an earlier release never has that form, so it reads as it always did.
const CURRENCIES: readonly (Currency | null)[] = [null, 'USD', 'GBP', 'EUR'];
export const MAX_PACKED_PAY = 0xfffffe;
export const MAX_SAMPLE_PAY = 0xffff;
export const MAX_PACKED_COUNT = 15;
const SAMPLE_FORM = 32;
/** Reserved: two requesters whose keys hash alike; neither gets a brief from the index. */
export const AMBIGUOUS = 0xffffffff;

export function packBrief(brief: BadgeBrief): number {
  const currency = brief.pay ? CURRENCIES.indexOf(brief.pay.currency) : 0;
  if (brief.level !== 'danger' && (brief.sample || brief.payTasks)) {
    const count = (n: number | undefined) => Math.min(Math.max(0, Math.round(n ?? 0)), MAX_PACKED_COUNT);
    const pay = brief.pay ? Math.min(Math.max(0, Math.round(brief.pay.centsPerHour)), MAX_SAMPLE_PAY) : 0;
    const bits = LEVELS.indexOf(brief.level) | (Number(brief.blocked) << 2) | (Number(brief.belowMinimums) << 3) | (Number(brief.held) << 4) | SAMPLE_FORM | (currency << 6);
    return (bits + count(brief.sample) * 256 + count(brief.payTasks) * 4096 + pay * 65536) >>> 0;
  }
  const pay = brief.pay ? Math.min(Math.max(0, Math.round(brief.pay.centsPerHour)), MAX_PACKED_PAY) : 0;
  const bits =
    LEVELS.indexOf(brief.level) |
    (Number(brief.blocked) << 2) |
    (Number(brief.belowMinimums) << 3) |
    (Number(brief.held) << 4) |
    (Number(brief.phishing) << 5) |
    (currency << 6);
  return (bits + pay * 256) >>> 0;
}

export function unpackBrief(packed: number): BadgeBrief {
  const currency = CURRENCIES[(packed >>> 6) & 3] ?? null;
  const level = LEVELS[packed & 3]!;
  if (level !== 'danger' && (packed & SAMPLE_FORM) !== 0) {
    const brief: BadgeBrief = {
      level,
      blocked: (packed & 4) !== 0,
      belowMinimums: (packed & 8) !== 0,
      held: (packed & 16) !== 0,
      phishing: false,
      pay: currency ? { centsPerHour: Math.floor(packed / 65536), currency } : null,
    };
    const sample = (packed >>> 8) & 15;
    const payTasks = (packed >>> 12) & 15;
    if (sample) brief.sample = sample;
    if (payTasks) brief.payTasks = payTasks;
    return brief;
  }
  const pay = Math.floor(packed / 256);
  return {
    level: LEVELS[packed & 3]!,
    blocked: (packed & 4) !== 0,
    belowMinimums: (packed & 8) !== 0,
    held: (packed & 16) !== 0,
    phishing: (packed & 32) !== 0,
    pay: currency ? { centsPerHour: pay, currency } : null,
  };
}
