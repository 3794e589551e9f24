import { describe, expect, it } from 'vitest';
import type { PublicReview } from '../core/public-review.js';
import { summarize } from '../core/rating.js';
import { DEFAULT_RULES } from '../core/rules.js';
import { decodeSummary, encodeSummary } from '../core/summary-codec.js';
import { factsOf, overlayReviews, overlaySummary, type OverlayChange } from './own-overlay-merge.js';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const KEY = 'mturk:A1B2C3D4E5F6G7' as const;
const NAME = 'Acme Research';

function review(id: string, over: Partial<PublicReview> = {}): PublicReview {
  return {
    id,
    author: `author-${id}`,
    createdOn: '2026-12-01',
    editedOn: null,
    taskId: 'T1',
    taskTitle: 'A survey',
    reward: { cents: 150, currency: 'USD' },
    bonusCents: 0,
    minutes: 15,
    finished: true,
    outcome: 'approved',
    daysToDecision: 2,
    ratings: { pay: 4, fairness: 5, speed: 3, communication: null },
    text: 'Fair and quick to approve.',
    tags: [],
    ...over,
  };
}

/** What the server would compute from these reviews, as the replica stores it. */
function serverRow(reviews: PublicReview[], held = 0) {
  const summary = summarize(
    { key: KEY, name: NAME, reviews: reviews.map(factsOf), heldReviews: held, suspensions: [], issueFlags: [], confirmed: { suspension: false, phishing: false } },
    NOW,
    DEFAULT_RULES,
  );
  return decodeSummary(encodeSummary(summary), DEFAULT_RULES);
}

const change = (over: Partial<OverlayChange>): OverlayChange => ({
  requester: KEY,
  requesterName: NAME,
  before: null,
  beforeCounted: false,
  after: null,
  afterHeld: false,
  ...over,
});

/** Everything the overlay redoes exactly (hourly pay is checked on its own). */
function exactParts(s: ReturnType<typeof serverRow> | null) {
  if (!s) return null;
  const w = (x: typeof s.allTime) => ({ reviews: x.reviews, ratings: x.ratings, decided: x.decided, rejectionShare: x.rejectionShare });
  return { name: s.name, held: s.held, allTime: w(s.allTime), recent: w(s.recent) };
}

describe('the author overlay', () => {
  const others = [review('a'), review('b', { ratings: { pay: 2, fairness: 3, speed: null, communication: 4 }, outcome: 'rejected' }), review('c', { outcome: 'pending' })];
  const mine = review('mine', { ratings: { pay: 1, fairness: 2, speed: 5, communication: 5 }, reward: { cents: 300, currency: 'USD' }, minutes: 15 });

  it('summarizes a first review exactly as the server will', () => {
    const shown = overlaySummary(null, [change({ after: mine })], DEFAULT_RULES, NOW);
    expect(encodeSummary(shown!)).toEqual(encodeSummary(serverRow([mine])));
  });

  it('adds a review to a synced row: counts, ratings and decisions as the server will have them', () => {
    const shown = overlaySummary(serverRow(others), [change({ after: mine })], DEFAULT_RULES, NOW);
    expect(exactParts(shown)).toEqual(exactParts(serverRow([...others, mine])));
  });

  it('weighs the author task as one among the others for pay (exact when tasks took as long)', () => {
    const shown = overlaySummary(serverRow(others), [change({ after: mine })], DEFAULT_RULES, NOW);
    const server = serverRow([...others, mine]);
    expect(shown!.allTime.hourly!.tasks).toBe(server.allTime.hourly!.tasks);
    expect(shown!.allTime.hourly!.centsPerHour).toBeCloseTo(server.allTime.hourly!.centsPerHour, 0);
  });

  it('an edit replaces the old review in every count and in the list', () => {
    const old = others[0]!;
    const edited = { ...old, ratings: { pay: 1, fairness: 1, speed: 1, communication: 1 }, outcome: 'rejected' as const };
    const edit = change({ before: old, beforeCounted: true, after: edited });
    const shown = overlaySummary(serverRow(others), [edit], DEFAULT_RULES, NOW);
    expect(exactParts(shown)).toEqual(exactParts(serverRow([edited, ...others.slice(1)])));
    const list = overlayReviews(others, [edit]);
    expect(list.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(list[0]!.outcome).toBe('rejected');
  });

  it('a delete takes the review out of counts and list', () => {
    const gone = change({ before: others[1]!, beforeCounted: true });
    expect(exactParts(overlaySummary(serverRow(others), [gone], DEFAULT_RULES, NOW))).toEqual(exactParts(serverRow([others[0]!, others[2]!])));
    expect(overlayReviews(others, [gone]).map((r) => r.id)).toEqual(['a', 'c']);
  });

  it('a held review counts as held only, and is not listed', () => {
    const held = change({ after: mine, afterHeld: true });
    expect(exactParts(overlaySummary(serverRow(others), [held], DEFAULT_RULES, NOW))).toEqual(exactParts(serverRow(others, 1)));
    expect(overlayReviews(others, [held]).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('lists the author review first, once, at its latest', () => {
    const first = review('mine', { text: 'first words of mine here' });
    const second = review('mine', { text: 'second words of mine here' });
    const list = overlayReviews(others, [change({ after: first }), change({ before: first, beforeCounted: true, after: second })]);
    expect(list.map((r) => r.id)).toEqual(['mine', 'a', 'b', 'c']);
    expect(list[0]!.text).toBe('second words of mine here');
  });

  it('without changes, the synced row is shown as it is', () => {
    const row = serverRow(others);
    expect(overlaySummary(row, [], DEFAULT_RULES, NOW)).toBe(row);
    expect(overlaySummary(null, [], DEFAULT_RULES, NOW)).toBeNull();
  });
});
