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
}

export function briefOf(summary: RequesterSummary | null, assessment: Assessment, blocked: boolean): BadgeBrief {
  const hourly = summary ? (summary.recent.hourly ?? summary.allTime.hourly) : null;
  return {
    level: assessment.level,
    blocked,
    belowMinimums: assessment.reasons.some((r) => r.code === 'low_pay' || r.code === 'low_rating'),
    held: (summary?.held ?? 0) > 0,
    phishing: assessment.level === 'danger' && assessment.reasons[0]?.code === 'phishing',
    pay: hourly ? { centsPerHour: Math.round(hourly.centsPerHour), currency: hourly.currency } : null,
  };
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
const CURRENCIES: readonly (Currency | null)[] = [null, 'USD', 'GBP', 'EUR'];
export const MAX_PACKED_PAY = 0xfffffe;
/** Reserved: two requesters whose keys hash alike; neither gets a brief from the index. */
export const AMBIGUOUS = 0xffffffff;

export function packBrief(brief: BadgeBrief): number {
  const currency = brief.pay ? CURRENCIES.indexOf(brief.pay.currency) : 0;
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
