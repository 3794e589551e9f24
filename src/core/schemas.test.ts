import { describe, expect, it } from 'vitest';
import { CONTENT_MESSAGES } from './messages.js';
import { requesterKey, RequesterKey } from './requester-key.js';
import { ReviewFlagInput, ReviewInput } from './schemas.js';
import { describeIssues, firstField } from './validation.js';

const review = {
  requester: 'mturk:A2P2MT8IK72CVZ',
  requesterName: 'Müller & Søn "Research"',
  taskId: '3W718UE9EU3HU46PLOZCGM2A1IF8KS',
  taskTitle: 'Answer a short survey',
  reward: { cents: 150, currency: 'USD' },
  minutes: 9.5,
  finished: true,
  outcome: 'approved',
  daysToDecision: 1,
  ratings: { pay: 4, fairness: 5, speed: null, communication: null },
};

describe('requester keys', () => {
  it.each(['APA5QKHYESAA', 'ABSNVK2V753TM', 'A093608229YLLO56ED5YF'])('accepts the MTurk id %s (12–21 chars)', (id) => {
    expect(requesterKey('mturk', id)).toBe(`mturk:${id}`);
    expect(RequesterKey.safeParse(`mturk:${id}`).success).toBe(true);
  });

  it.each(['A12345678901234567890X', 'a2p2mt8ik72cvz', 'B2P2MT8IK72CVZ', 'A2P2MT8IK7', 'A2P2-MT8IK72CVZ'])('refuses %s', (id) => {
    expect(requesterKey('mturk', id)).toBeNull();
  });

  it('takes Prolific researcher ids as 24 lowercase hex characters', () => {
    expect(requesterKey('prolific', '5f3e1c2b9a8d7e6f5a4b3c2d')).toBe('prolific:5f3e1c2b9a8d7e6f5a4b3c2d');
    expect(requesterKey('prolific', '5F3E1C2B9A8D7E6F5A4B3C2D')).toBeNull();
  });
});

describe('review input', () => {
  it('accepts a complete review and fills the defaults', () => {
    const parsed = ReviewInput.parse(review);
    expect(parsed.text).toBe('');
    expect(parsed.tags).toEqual([]);
    expect(parsed.bonusCents).toBe(0);
  });

  it('names the field that is wrong', () => {
    const result = ReviewInput.safeParse({ ...review, ratings: { ...review.ratings, pay: 6 } });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(firstField(result.error)).toBe('ratings.pay');
      expect(describeIssues(result.error)).toMatch(/^ratings\.pay: /);
    }
  });

  it('refuses unknown fields, so a typo is not silently dropped', () => {
    const result = ReviewInput.safeParse({ ...review, workerId: 'A3WORKERID0OWN7' });
    expect(result.success).toBe(false);
  });

  it('refuses text over 2,000 characters and repeated tags', () => {
    expect(ReviewInput.safeParse({ ...review, text: 'x'.repeat(2001) }).success).toBe(false);
    expect(ReviewInput.safeParse({ ...review, tags: ['broken', 'broken'] }).success).toBe(false);
  });

  it('refuses fractional cents and non-integer ratings', () => {
    expect(ReviewInput.safeParse({ ...review, reward: { cents: 1.5, currency: 'USD' } }).success).toBe(false);
    expect(ReviewInput.safeParse({ ...review, ratings: { ...review.ratings, fairness: 4.5 } }).success).toBe(false);
  });
});

describe('review flags', () => {
  it('needs at least 20 characters for "other"', () => {
    const short = ReviewFlagInput.safeParse({ reviewId: 'r1', reason: 'other', note: 'too short' });
    expect(short.success).toBe(false);
    if (!short.success) expect(firstField(short.error)).toBe('note');
    expect(ReviewFlagInput.safeParse({ reviewId: 'r1', reason: 'other', note: 'This review names the screener answers.' }).success).toBe(true);
    expect(ReviewFlagInput.safeParse({ reviewId: 'r1', reason: 'insults' }).success).toBe(true);
  });
});

describe('messages', () => {
  it('bound a lookup to 1–2000 valid keys', () => {
    const lookup = CONTENT_MESSAGES['content/lookup'].request;
    const platform = 'mturk';
    expect(lookup.safeParse({ platform, keys: [] }).success).toBe(false);
    expect(lookup.safeParse({ platform, keys: ['mturk:A2P2MT8IK72CVZ'] }).success).toBe(true);
    expect(lookup.safeParse({ platform, keys: ['mturk:A3WORKER'] }).success).toBe(false);
    expect(lookup.safeParse({ platform, keys: Array(2001).fill('mturk:A2P2MT8IK72CVZ') }).success).toBe(false);
    expect(lookup.safeParse({ platform: 'toloka', keys: ['mturk:A2P2MT8IK72CVZ'] }).success).toBe(false);
  });
});
