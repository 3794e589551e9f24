/**
 * Deterministic, realistic-looking data for benchmarks and size measurements:
 * review counts per requester follow a heavy tail (most requesters have a handful,
 * a few have thousands), as on Turkopticon.
 */
import { defaultCurrency } from '../../core/platforms.js';
import type { RequesterKey } from '../../core/requester-key.js';
import type { Review } from '../../core/schemas.js';
import { ISSUE_TAGS, OUTCOMES } from '../../core/schemas.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same database. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WORDS = 'survey study task image label audio transcribe quick academic research psychology batch receipt video short long easy'.split(' ');
const TEXT = 'Paid fairly for the time. Instructions were clear and the requester answered my message within a day. The timer was too short for the length of the survey and I had to return it. Approved quickly.'.split(' ');

export function fakeRequesterKey(index: number, random: () => number): RequesterKey {
  if (random() < 0.15) {
    let hex = index.toString(16).padStart(8, '0');
    while (hex.length < 24) hex += Math.floor(random() * 16).toString(16);
    return `prolific:${hex}` as RequesterKey;
  }
  let id = 'A' + index.toString(36).toUpperCase().padStart(4, '0');
  const length = 12 + Math.floor(random() * 3);
  while (id.length < length) id += ALNUM[Math.floor(random() * ALNUM.length)];
  return `mturk:${id}` as RequesterKey;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function words(random: () => number, source: readonly string[], count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(pick(random, source));
  return out.join(' ');
}

/** Review counts per requester summing to about `totalReviews`, heavy-tailed. */
export function reviewCounts(requesters: number, totalReviews: number, random: () => number): number[] {
  const weights: number[] = [];
  let sum = 0;
  for (let i = 0; i < requesters; i++) {
    const w = Math.min(random() ** -0.8, 3000);
    weights.push(w);
    sum += w;
  }
  return weights.map((w) => Math.max(1, Math.round((w * totalReviews) / sum)));
}

export function fakeRequesterName(random: () => number): string {
  return `${pick(random, ['Dr.', 'Lab', 'Team', 'Univ.', 'Inc.'])} ${words(random, WORDS, 1 + Math.floor(random() * 2))} ${Math.floor(random() * 1000)}`;
}

/** One review as the API would accept it (the parsed form). */
export function fakeReview(requester: RequesterKey, name: string, taskId: string, random: () => number): Review {
  const rating = () => (random() < 0.1 ? null : 1 + Math.floor(random() * 5));
  const outcomeRoll = random();
  return {
    requester,
    requesterName: name,
    taskId,
    taskTitle: words(random, WORDS, 3),
    reward: { cents: 5 + Math.floor(random() * 400), currency: defaultCurrency(requester) },
    bonusCents: random() < 0.1 ? Math.floor(random() * 100) : 0,
    minutes: random() < 0.1 ? null : Math.round((0.5 + random() * 40) * 10) / 10,
    finished: random() < 0.9,
    outcome: outcomeRoll < 0.8 ? 'approved' : pick(random, OUTCOMES),
    daysToDecision: random() < 0.3 ? null : Math.floor(random() * 30),
    ratings: { pay: rating(), fairness: rating(), speed: rating(), communication: rating() },
    text: random() < 0.5 ? '' : words(random, TEXT, 5 + Math.floor(random() * 40)),
    tags: random() < 0.03 ? [pick(random, ISSUE_TAGS)] : [],
  };
}
