import { describe, expect, it } from 'vitest';
import type { PublicReview } from '../../core/sync-protocol.js';
import { payPoints, placeCard, reviewCentsPerHour, sparkGeometry } from './geometry.js';

const viewport = { width: 1000, height: 800 };
const badge = (top: number, left = 100) => ({ top, bottom: top + 16, left, right: left + 60 });

describe('placeCard', () => {
  it('goes below the badge when it fits', () => {
    expect(placeCard(badge(100), { width: 340, height: 300 }, viewport)).toEqual({ top: 120, left: 100, maxHeight: 672, side: 'below' });
  });

  it('flips above near the bottom of the window', () => {
    const at = placeCard(badge(700), { width: 340, height: 300 }, viewport);
    expect(at.side).toBe('above');
    expect(at.top).toBe(700 - 4 - 300);
  });

  it('takes the roomier side and scrolls inside when it fits on neither', () => {
    const at = placeCard(badge(300), { width: 340, height: 700 }, viewport);
    expect(at).toMatchObject({ side: 'below', top: 320, maxHeight: 800 - 8 - 320 });
    const high = placeCard(badge(520), { width: 340, height: 700 }, viewport);
    expect(high).toMatchObject({ side: 'above', top: 8, maxHeight: 520 - 4 - 8 });
  });

  it('overlaps rather than squeezes when there is very little room either side (zoomed in)', () => {
    const small = { width: 400, height: 300 };
    const at = placeCard({ top: 140, bottom: 156, left: 10, right: 60 }, { width: 340, height: 600 }, small);
    expect(at.maxHeight).toBe(284);
    expect(at.top).toBe(8);
  });

  it('stays inside the window horizontally', () => {
    expect(placeCard(badge(100, 900), { width: 340, height: 200 }, viewport).left).toBe(1000 - 8 - 340);
    expect(placeCard(badge(100, -50), { width: 340, height: 200 }, viewport).left).toBe(8);
    expect(placeCard(badge(100, 0), { width: 320, height: 200 }, { width: 320, height: 800 }).left).toBe(8);
  });
});

function review(over: Partial<PublicReview>): PublicReview {
  return {
    id: 'r', author: 'a', createdOn: '2025-01-01', editedOn: null, taskId: 'T1', taskTitle: 't',
    reward: { cents: 100, currency: 'USD' }, bonusCents: 0, minutes: 10, finished: true, outcome: 'approved',
    daysToDecision: 1, ratings: { pay: null, fairness: null, speed: null, communication: null }, text: '', tags: [],
    ...over,
  };
}

describe('pay points', () => {
  it('is (reward + bonus) ÷ minutes × 60, for finished and timed work only', () => {
    expect(reviewCentsPerHour(review({ reward: { cents: 150, currency: 'USD' }, bonusCents: 50, minutes: 20 }))).toBe(600);
    expect(reviewCentsPerHour(review({ finished: false }))).toBeNull();
    expect(reviewCentsPerHour(review({ minutes: null }))).toBeNull();
    expect(reviewCentsPerHour(review({ minutes: 0 }))).toBeNull();
  });

  it('runs oldest → newest in the newest timed review’s currency', () => {
    const newestFirst = [
      review({ id: '1', finished: false }),
      review({ id: '2', reward: { cents: 300, currency: 'USD' }, minutes: 30 }),
      review({ id: '3', reward: { cents: 500, currency: 'GBP' }, minutes: 10 }),
      review({ id: '4', reward: { cents: 100, currency: 'USD' }, minutes: 15 }),
    ];
    expect(payPoints(newestFirst)).toEqual({ currency: 'USD', values: [400, 600] });
    expect(payPoints([review({ minutes: null })])).toBeNull();
    expect(payPoints([])).toBeNull();
  });
});

describe('sparkGeometry', () => {
  it('scales from zero, spreads points across the width and places the threshold', () => {
    const spark = sparkGeometry([100, 200], 100, 20, 220, 0)!;
    expect(spark.dots).toEqual([
      { x: 0, y: round(20 - (100 / 242) * 20) },
      { x: 100, y: round(20 - (200 / 242) * 20) },
    ]);
    expect(spark.line).toBe(spark.dots.map((d) => `${d.x},${d.y}`).join(' '));
    expect(spark.thresholdY).toBe(round(20 - (220 / 242) * 20));
    expect([spark.min, spark.max]).toEqual([100, 200]);
  });

  it('centres a single point and copes with all-zero pay', () => {
    expect(sparkGeometry([0], 100, 20)!.dots).toEqual([{ x: 50, y: 17 }]);
    expect(sparkGeometry([], 100, 20)).toBeNull();
  });
});

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
