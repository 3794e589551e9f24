import { describe, expect, it } from 'vitest';
import { assess, hourlyPay, shrinkRating, summarize, windowStats, type ReviewFacts, type SummaryInput } from './rating.js';
import { briefOf, packBrief, unpackBrief } from './badge-brief.js';
import { DEFAULT_RULES, DEFAULT_THRESHOLDS } from './rules.js';
import { RequesterSummary } from './schemas.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const KEY = 'mturk:A1B2C3D4E5F6G7' as const;

function review(over: Partial<ReviewFacts> = {}): ReviewFacts {
  return {
    account: over.account ?? Math.random(),
    established: true,
    createdAt: NOW - DAY,
    reward: { cents: 100, currency: 'USD' },
    bonusCents: 0,
    minutes: 6,
    finished: true,
    outcome: 'approved',
    daysToDecision: 2,
    ratings: { pay: 4, fairness: 4, speed: 4, communication: null },
    tags: [],
    ...over,
  };
}

function input(over: Partial<SummaryInput> = {}): SummaryInput {
  return {
    key: KEY,
    name: 'Acme "Research" Lab',
    reviews: [],
    heldReviews: 0,
    suspensions: [],
    issueFlags: [],
    confirmed: { suspension: false, phishing: false },
    ...over,
  };
}

describe('hourly pay', () => {
  it('is a ratio of sums, not a mean of ratios', () => {
    // $1 for 6 min ($10/h) and $1 for 54 min (~$1.11/h): mean of ratios would be $5.56/h.
    const pay = hourlyPay([review({ minutes: 6 }), review({ minutes: 54 })]);
    expect(pay?.centsPerHour).toBeCloseTo(200); // $2 over 60 minutes
    expect(pay?.tasks).toBe(2);
  });

  it('ignores unfinished tasks and counts bonuses', () => {
    const pay = hourlyPay([
      review({ minutes: 30, reward: { cents: 300, currency: 'USD' }, bonusCents: 200 }),
      review({ minutes: 600, finished: false }),
    ]);
    expect(pay?.centsPerHour).toBeCloseTo(1000);
    expect(pay?.tasks).toBe(1);
  });

  it('is null with no finished task, and with only zero or unrecorded minutes', () => {
    expect(hourlyPay([])).toBeNull();
    expect(hourlyPay([review({ finished: false })])).toBeNull();
    expect(hourlyPay([review({ minutes: 0 }), review({ minutes: null })])).toBeNull();
  });

  it('leaves zero-minute reviews out of both sums instead of dividing by zero', () => {
    const pay = hourlyPay([review({ minutes: 0, reward: { cents: 5000, currency: 'USD' } }), review({ minutes: 60 })]);
    expect(pay?.centsPerHour).toBeCloseTo(100);
  });

  it('refuses to mix currencies: reports the currency with most minutes, counts the others aside', () => {
    const pay = hourlyPay([
      review({ minutes: 60, reward: { cents: 900, currency: 'GBP' } }),
      review({ minutes: 10, reward: { cents: 10_000, currency: 'USD' } }),
      review({ minutes: 30, reward: { cents: 300, currency: 'GBP' } }),
    ]);
    expect(pay).toEqual({ currency: 'GBP', centsPerHour: 800, tasks: 2, otherCurrencyTasks: 1 });
  });
});

describe('rating shrinkage', () => {
  it('pulls one review toward the middle and marks it too few', () => {
    const one = shrinkRating(5, 1, DEFAULT_RULES);
    expect(one.raw).toBe(5);
    expect(one.mean).toBeCloseTo((5 + 3 * 5) / 6);
    expect(one.tooFew).toBe(true);
  });

  it('lets many reviews speak for themselves', () => {
    const many = shrinkRating(1 * 200, 200, DEFAULT_RULES);
    expect(many.mean).toBeLessThan(1.1);
    expect(many.tooFew).toBe(false);
  });

  it('gives null, not 3, when every rating is n/a', () => {
    const stats = windowStats(
      [review({ ratings: { pay: null, fairness: null, speed: null, communication: null } })],
      DEFAULT_RULES,
    );
    for (const stat of Object.values(stats.ratings)) expect(stat).toEqual({ mean: null, raw: null, count: 0, tooFew: true });
    expect(stats.reviews).toBe(1);
  });
});

describe('summaries', () => {
  it('keeps the last 90 days apart from all time', () => {
    const s = summarize(
      input({
        reviews: [
          review({ createdAt: NOW - 200 * DAY, outcome: 'rejected' }),
          review({ createdAt: NOW - 10 * DAY, outcome: 'approved' }),
        ],
      }),
      NOW,
      DEFAULT_RULES,
    );
    expect(s.allTime.reviews).toBe(2);
    expect(s.recent.reviews).toBe(1);
    expect(s.allTime.rejectionShare).toBe(0.5);
    expect(s.recent.rejectionShare).toBe(0);
    expect(RequesterSummary.safeParse(s).success).toBe(true);
  });

  it('counts suspension reports once per established account within 60 days', () => {
    const s = summarize(
      input({
        suspensions: [
          { account: 1, established: true, reportedAt: NOW - 5 * DAY },
          { account: 1, established: true, reportedAt: NOW - 4 * DAY },
          { account: 2, established: false, reportedAt: NOW - 3 * DAY },
          { account: 3, established: true, reportedAt: NOW - 90 * DAY },
          { account: 4, established: true, reportedAt: NOW - 2 * DAY },
        ],
      }),
      NOW,
      DEFAULT_RULES,
    );
    expect(s.suspensions).toEqual({ accounts: 2, since: '2026-11-18', confirmed: false });
  });

  it('counts an issue once per account across review tags and flags', () => {
    const s = summarize(
      input({
        reviews: [review({ account: 7, tags: ['phishing'] })],
        issueFlags: [
          { account: 7, established: true, reportedAt: NOW, reason: 'phishing' },
          { account: 8, established: true, reportedAt: NOW, reason: 'phishing' },
          { account: 9, established: false, reportedAt: NOW, reason: 'phishing' },
        ],
      }),
      NOW,
      DEFAULT_RULES,
    );
    expect(s.issues.phishing).toBe(2);
  });
});

describe('warning level', () => {
  const summary = (over: Partial<SummaryInput>) => summarize(input(over), NOW, DEFAULT_RULES);

  it('is unknown without data', () => {
    expect(assess(null, DEFAULT_THRESHOLDS, DEFAULT_RULES)).toEqual({ level: 'unknown', reasons: [] });
    expect(assess(summary({}), DEFAULT_THRESHOLDS, DEFAULT_RULES).level).toBe('unknown');
  });

  it('stays unknown while the only reviews are held for moderation', () => {
    expect(assess(summary({ heldReviews: 4 }), DEFAULT_THRESHOLDS, DEFAULT_RULES).level).toBe('unknown');
  });

  // Issue 12: one review is never a green "ok" (this test said it was, before).
  it('is ok for a fair, well-paying requester once there are enough reviews, neutral before', () => {
    const one = assess(summary({ reviews: [review()] }), DEFAULT_THRESHOLDS, DEFAULT_RULES);
    expect(one).toEqual({ level: 'unknown', reasons: [], sample: { reviews: 1, needed: 3, ratingsNeeded: 5, pay: { centsPerHour: expect.closeTo(1000), currency: 'USD', tasks: 1, enough: false } } });
    const three = assess(summary({ reviews: [review(), review(), review()] }), DEFAULT_THRESHOLDS, DEFAULT_RULES);
    expect(three).toEqual({ level: 'ok', reasons: [], sample: { reviews: 3, needed: 3, ratingsNeeded: 5, pay: { centsPerHour: expect.closeTo(1000), currency: 'USD', tasks: 3, enough: true } } });
  });

  it('cautions about pay under the worker threshold once there are enough finished tasks', () => {
    const low = [1, 2, 3].map(() => review({ minutes: 60, reward: { cents: 300, currency: 'USD' } }));
    // Two tasks at $3/h: too few to compare, and too few reviews for a level: neutral, never ok.
    expect(assess(summary({ reviews: low.slice(0, 2) }), DEFAULT_THRESHOLDS, DEFAULT_RULES).level).toBe('unknown');
    const result = assess(summary({ reviews: low }), DEFAULT_THRESHOLDS, DEFAULT_RULES);
    expect(result.level).toBe('caution');
    expect(result.reasons).toEqual([{ code: 'low_pay', centsPerHour: 300, thresholdCents: 725, currency: 'USD' }]);
    // The worker's own threshold decides: at $2/h minimum, $3/h is fine.
    expect(assess(summary({ reviews: low }), { ...DEFAULT_THRESHOLDS, minHourlyCents: { USD: 200 } }, DEFAULT_RULES).level).toBe('ok');
  });

  it('cautions at a 10 % rejection share', () => {
    const reviews = [...Array.from({ length: 9 }, () => review()), review({ outcome: 'rejected' })];
    const result = assess(summary({ reviews }), DEFAULT_THRESHOLDS, DEFAULT_RULES);
    expect(result.reasons).toEqual([{ code: 'rejections', share: 0.1, thresholdShare: 0.1 }]);
  });

  it('turns danger at 3 established accounts reporting suspensions, caution below', () => {
    const reports = [1, 2, 3].map((account) => ({ account, established: true, reportedAt: NOW - DAY }));
    expect(assess(summary({ suspensions: reports.slice(0, 2) }), DEFAULT_THRESHOLDS, DEFAULT_RULES)).toMatchObject({
      level: 'caution',
      reasons: [{ code: 'suspension_reports', accounts: 2 }],
    });
    expect(assess(summary({ suspensions: reports }), DEFAULT_THRESHOLDS, DEFAULT_RULES)).toMatchObject({
      level: 'danger',
      reasons: [{ code: 'suspensions', accounts: 3, confirmed: false }],
    });
  });

  it('turns danger when a moderator confirmed the link, whatever the count', () => {
    const s = summary({ confirmed: { suspension: true, phishing: false } });
    expect(assess(s, DEFAULT_THRESHOLDS, DEFAULT_RULES).reasons[0]).toEqual({ code: 'suspensions', accounts: 0, confirmed: true });
  });

  it('turns danger for phishing reported by 3 established accounts and lists danger first', () => {
    const reviews = [1, 2, 3].map((account) =>
      review({ account, tags: ['phishing'], minutes: 60, reward: { cents: 100, currency: 'USD' } }),
    );
    const result = assess(summary({ reviews }), DEFAULT_THRESHOLDS, DEFAULT_RULES);
    expect(result.level).toBe('danger');
    expect(result.reasons.map((r) => r.code)).toEqual(['phishing', 'low_pay']);
  });

  it('applies a minimum-rating threshold only to ratings with enough reviews', () => {
    const bad = (n: number) => Array.from({ length: n }, () => review({ ratings: { pay: 1, fairness: 5, speed: 5, communication: 5 } }));
    const thresholds = { ...DEFAULT_THRESHOLDS, minRating: 3 };
    expect(assess(summary({ reviews: bad(4) }), thresholds, DEFAULT_RULES).level).toBe('ok');
    expect(assess(summary({ reviews: bad(4) }), thresholds, DEFAULT_RULES).sample?.reviews).toBe(4);
    const result = assess(summary({ reviews: bad(20) }), thresholds, DEFAULT_RULES);
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toMatchObject({ code: 'low_rating', dimension: 'pay' });
  });
});

describe('small samples (issue 12)', () => {
  const summary = (over: Partial<SummaryInput>) => summarize(input(over), NOW, DEFAULT_RULES);
  const lowPay = (n: number) => Array.from({ length: n }, () => review({ minutes: 125, reward: { cents: 100, currency: 'USD' } })); // $0.48/h

  it('never gives ok below the published minimum sample: $0.48/h from 1 task is neutral, with its pay and task count', () => {
    const result = assess(summary({ reviews: lowPay(1) }), DEFAULT_THRESHOLDS, DEFAULT_RULES);
    expect(result.level).toBe('unknown');
    expect(result.reasons).toEqual([]);
    expect(result.sample).toEqual({ reviews: 1, needed: DEFAULT_RULES.caution.minSample, ratingsNeeded: DEFAULT_RULES.tooFewBelow, pay: { centsPerHour: 48, currency: 'USD', tasks: 1, enough: false } });
  });

  it('makes a neutral brief that says how few: 1 review, $0.48/h on 1 task (what the badge index packs)', () => {
    const s = summary({ reviews: lowPay(1) });
    const brief = briefOf(s, assess(s, DEFAULT_THRESHOLDS, DEFAULT_RULES), false);
    expect(brief).toMatchObject({ level: 'unknown', sample: 1, payTasks: 1, pay: { centsPerHour: 48, currency: 'USD' }, belowMinimums: false });
    expect(unpackBrief(packBrief(brief))).toEqual(brief);
    const enough = summary({ reviews: [review(), review(), review()] });
    const okBrief = briefOf(enough, assess(enough, DEFAULT_THRESHOLDS, DEFAULT_RULES), false);
    expect(okBrief.level).toBe('ok');
    expect(okBrief.sample).toBeUndefined();
    expect(okBrief.payTasks).toBeUndefined();
  });

  it('gives its level from the minimum sample on: $0.48/h from 3 tasks is a pay caution', () => {
    const result = assess(summary({ reviews: lowPay(3) }), DEFAULT_THRESHOLDS, DEFAULT_RULES);
    expect(result.level).toBe('caution');
    expect(result.sample?.pay).toMatchObject({ tasks: 3, enough: true });
  });

  it('follows the published rules: a minimum sample of 1 gives one review its level', () => {
    const rules = { ...DEFAULT_RULES, caution: { ...DEFAULT_RULES.caution, minSample: 1 } };
    expect(assess(summarize(input({ reviews: [review()] }), NOW, rules), DEFAULT_THRESHOLDS, rules).level).toBe('ok');
  });

  it('says danger at once, whatever the sample (suspensions and phishing never wait)', () => {
    const reports = [1, 2, 3].map((account) => ({ account, established: true, reportedAt: NOW - DAY }));
    expect(assess(summary({ reviews: [review()], suspensions: reports }), DEFAULT_THRESHOLDS, DEFAULT_RULES).level).toBe('danger');
    const phishing = [1, 2, 3].map((account) => ({ account, established: true, reportedAt: NOW - DAY, reason: 'phishing' as const }));
    expect(assess(summary({ issueFlags: phishing }), DEFAULT_THRESHOLDS, DEFAULT_RULES).level).toBe('danger');
  });

  it('says a suspension report at once too (a caution that needs no sample)', () => {
    const result = assess(summary({ reviews: [review()], suspensions: [{ account: 1, established: true, reportedAt: NOW - DAY }] }), DEFAULT_THRESHOLDS, DEFAULT_RULES);
    expect(result.level).toBe('caution');
  });

  it('shows the pay the caution would use: recent when it has enough tasks, else the window with the most', () => {
    const old = Array.from({ length: 4 }, () => review({ createdAt: NOW - 200 * DAY, minutes: 60, reward: { cents: 1000, currency: 'USD' } }));
    const recentOne = [review({ minutes: 60, reward: { cents: 100, currency: 'USD' } })];
    const result = assess(summary({ reviews: [...old, ...recentOne] }), DEFAULT_THRESHOLDS, DEFAULT_RULES);
    // Recent holds 1 task (too few): all time (5 tasks) is what the level rests on and what is shown.
    expect(result.sample?.pay).toEqual({ centsPerHour: 820, currency: 'USD', tasks: 5, enough: true });
    const onlyFew = assess(summary({ reviews: [...old.slice(0, 1), ...recentOne, review({ finished: false }), review({ minutes: null })] }), DEFAULT_THRESHOLDS, DEFAULT_RULES);
    expect(onlyFew.level).toBe('ok');
    expect(onlyFew.sample?.pay).toMatchObject({ tasks: 2, enough: false });
  });
});
