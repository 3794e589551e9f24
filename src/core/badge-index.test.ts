import { describe, expect, it } from 'vitest';
import { briefOf, filterReason, MAX_PACKED_COUNT, MAX_PACKED_PAY, MAX_SAMPLE_PAY, packBrief, UNKNOWN_BRIEF, unpackBrief, type BadgeBrief } from './badge-brief.js';
import { BriefReader, encodeShard, encodeShards, NO_THRESHOLDS, Shard, shardKey, shardOf, shardOfKey, withSettings, type BriefSettings, type IndexEntry } from './badge-index.js';
import { LEVELS } from './assessment.js';
import { fnv1a32 } from './hash.js';
import { assess, summarize, type ReviewFacts } from './rating.js';
import type { RequesterKey } from './requester-key.js';
import { DEFAULT_RULES, DEFAULT_THRESHOLDS } from './rules.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const key = (i: number) => `mturk:A${String(i).padStart(13, '0')}` as RequesterKey;

function review(cents: number, minutes: number): ReviewFacts {
  return {
    account: Math.random(),
    established: true,
    createdAt: NOW - 86_400_000,
    reward: { cents, currency: 'USD' },
    bonusCents: 0,
    minutes,
    finished: true,
    outcome: 'approved',
    daysToDecision: 2,
    ratings: { pay: 4, fairness: 4, speed: 4, communication: null },
    tags: [],
  };
}

describe('badge brief', () => {
  it('packs every combination into 32 bits and back', () => {
    for (const level of LEVELS)
      for (const flags of [0, 1, 2, 3, 4, 7, 15])
        for (const pay of [null, { centsPerHour: 0, currency: 'USD' as const }, { centsPerHour: 1234, currency: 'GBP' as const }, { centsPerHour: MAX_PACKED_PAY, currency: 'EUR' as const }]) {
          // "phishing" is only ever set with danger (briefOf); bit 5 without danger marks a small sample's form.
          const brief: BadgeBrief = { level, blocked: !!(flags & 1), belowMinimums: !!(flags & 2), held: !!(flags & 4), phishing: level === 'danger' && !!(flags & 8), pay };
          const packed = packBrief(brief);
          expect(packed).toBeGreaterThanOrEqual(0);
          expect(packed).toBeLessThan(2 ** 32);
          expect(unpackBrief(packed)).toEqual(brief);
        }
  });

  it('packs a small sample: how many reviews, how many tasks the pay rests on, and the pay', () => {
    for (const level of ['unknown', 'ok', 'caution'] as const)
      for (const [sample, payTasks] of [[1, 0], [2, 1], [0, 2], [15, 15]] as const)
        for (const pay of [null, { centsPerHour: 48, currency: 'USD' as const }, { centsPerHour: MAX_SAMPLE_PAY, currency: 'EUR' as const }]) {
          const brief: BadgeBrief = { level, blocked: false, belowMinimums: level === 'caution', held: true, phishing: false, pay };
          if (sample) brief.sample = sample;
          if (payTasks && pay) brief.payTasks = payTasks;
          if (!brief.sample && !brief.payTasks) continue;
          const packed = packBrief(brief);
          expect(packed).toBeLessThan(2 ** 32);
          expect(unpackBrief(packed)).toEqual(brief);
        }
    // Counts and pay beyond their bits are capped, not wrapped into other fields.
    const big: BadgeBrief = { ...UNKNOWN_BRIEF, sample: 40, payTasks: 2, pay: { centsPerHour: 1e9, currency: 'USD' } };
    expect(unpackBrief(packBrief(big))).toEqual({ ...big, sample: MAX_PACKED_COUNT, pay: { centsPerHour: MAX_SAMPLE_PAY, currency: 'USD' } });
  });

  it('reads values packed before small samples were said, as they were', () => {
    // ok, USD $7.25/h — and danger (phishing), GBP $3.00/h, blocked — as an earlier release stored them.
    expect(unpackBrief(1 + (1 << 6) + 725 * 256)).toEqual({ level: 'ok', blocked: false, belowMinimums: false, held: false, phishing: false, pay: { centsPerHour: 725, currency: 'USD' } });
    expect(unpackBrief(3 + 4 + 32 + (2 << 6) + 300 * 256)).toEqual({ level: 'danger', blocked: true, belowMinimums: false, held: false, phishing: true, pay: { centsPerHour: 300, currency: 'GBP' } });
    expect(unpackBrief(0)).toEqual(UNKNOWN_BRIEF);
  });

  it('caps absurd pay instead of wrapping into other bits', () => {
    const brief: BadgeBrief = { ...UNKNOWN_BRIEF, level: 'ok', pay: { centsPerHour: 1e12, currency: 'USD' } };
    expect(unpackBrief(packBrief(brief))).toEqual({ ...brief, pay: { centsPerHour: MAX_PACKED_PAY, currency: 'USD' } });
  });

  it('is made from a summary and its assessment: level, pay, minimums, filters', () => {
    // $1 per 20 minutes = $3.00/h, under the default $7.25 minimum.
    const summary = summarize(
      { key: key(1), name: 'Low', reviews: [review(100, 20), review(100, 20), review(100, 20)], heldReviews: 0, suspensions: [], issueFlags: [], confirmed: { suspension: false, phishing: false } },
      NOW,
      DEFAULT_RULES,
    );
    const assessment = assess(summary, DEFAULT_THRESHOLDS, DEFAULT_RULES);
    const brief = briefOf(summary, assessment, false);
    expect(brief).toEqual({ level: 'caution', blocked: false, belowMinimums: true, held: false, phishing: false, pay: { centsPerHour: 300, currency: 'USD' } });
    expect(filterReason(brief)).toBe('threshold');
    expect(filterReason({ ...brief, blocked: true })).toBe('blocked');
    expect(filterReason({ ...brief, level: 'danger', blocked: true })).toBeNull();
    expect(briefOf(null, { level: 'unknown', reasons: [] }, false)).toEqual(UNKNOWN_BRIEF);
  });
});

describe('badge index', () => {
  const settings: BriefSettings = { thresholds: NO_THRESHOLDS, blocked: new Set() };
  const entryFor = (brief: BadgeBrief, ratingMin = Number.NaN, payCents = -1): IndexEntry => ({ brief: packBrief(brief), ratingMin, payCents });
  const briefs: [RequesterKey, BadgeBrief][] = Array.from({ length: 5000 }, (_, i) => [
    key(i),
    { ...UNKNOWN_BRIEF, level: LEVELS[i % 4]!, held: i % 7 === 0, pay: i % 3 ? { centsPerHour: i * 3, currency: 'USD' } : null },
  ]);
  /** Encodes, stores as text and reads back every shard: a map of shard number → Shard. */
  const roundTrip = (entries: Iterable<readonly [RequesterKey, IndexEntry]>) => new Map([...encodeShards(entries)].map(([n, text]) => [n, Shard.decode(text, n)]));
  const lookUp = (shards: Map<number, Shard>, k: RequesterKey, reader = new BriefReader(settings)) => {
    const hash = fnv1a32(k);
    return reader.brief(k, hash, shards.get(shardOf(hash)) ?? Shard.EMPTY);
  };

  it('answers every indexed key with its brief, after a round trip through stored shards', () => {
    const shards = roundTrip(briefs.map(([k, brief]) => [k, entryFor(brief)]));
    expect([...shards.values()].reduce((n, shard) => n + shard.size, 0)).toBe(briefs.length);
    // 5,000 keys over 4,096 shards: each shard holds only its own hashes.
    expect(shards.size).toBeGreaterThan(2000);
    for (const [k, brief] of briefs) expect(lookUp(shards, k)).toEqual(brief);
  });

  it('keeps the figures the minimums are compared with: rating mean (as float32) and pay', () => {
    const shards = roundTrip([[key(1), entryFor(UNKNOWN_BRIEF, 3.25, 725)], [key(2), entryFor(UNKNOWN_BRIEF)]]);
    const one = fnv1a32(key(1));
    expect(shards.get(shardOf(one))!.entry(one)).toEqual({ brief: 0, ratingMin: 3.25, payCents: 725 });
    const two = fnv1a32(key(2));
    expect(shards.get(shardOf(two))!.entry(two)).toEqual({ brief: 0, ratingMin: Number.NaN, payCents: -1 });
  });

  it('says "no reviews yet" for keys it does not hold (blocked ones: blocked)', () => {
    const shards = roundTrip(briefs.map(([k, brief]) => [k, entryFor(brief)]));
    const indexed = new Set(briefs.map(([k]) => fnv1a32(k)));
    let checked = 0;
    for (let i = 10_000; i < 11_000; i++) {
      if (indexed.has(fnv1a32(key(i)))) continue;
      expect(lookUp(shards, key(i))).toEqual(UNKNOWN_BRIEF);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(990);
    const blocked = new BriefReader({ thresholds: NO_THRESHOLDS, blocked: new Set([key(10_001)]) });
    expect(lookUp(shards, key(10_001), blocked)).toEqual({ ...UNKNOWN_BRIEF, blocked: true });
  });

  it('finishes briefs with the worker’s settings: minimums make ok or level-less requesters a caution, blocked is said', () => {
    const ok: BadgeBrief = { ...UNKNOWN_BRIEF, level: 'ok', pay: { centsPerHour: 700, currency: 'USD' } };
    const small: BadgeBrief = { ...ok, level: 'unknown', sample: 2 };
    const danger: BadgeBrief = { ...ok, level: 'danger' };
    const usd = { minHourlyCents: { USD: 725 }, minRating: null };
    expect(withSettings(ok, Number.NaN, 700, usd, false)).toEqual({ ...ok, level: 'caution', belowMinimums: true });
    expect(withSettings(ok, Number.NaN, 700, NO_THRESHOLDS, false)).toBe(ok);
    // Pay on too few tasks is not compared (payCents -1); GBP minimum does not apply to USD pay.
    expect(withSettings(ok, Number.NaN, -1, usd, false)).toBe(ok);
    expect(withSettings(ok, Number.NaN, 700, { minHourlyCents: { GBP: 900 }, minRating: null }, false)).toBe(ok);
    const { sample: _, ...smallWithoutSample } = small;
    expect(withSettings(small, 2.5, -1, { minHourlyCents: {}, minRating: 3 }, false)).toEqual({ ...smallWithoutSample, level: 'caution', belowMinimums: true });
    expect(withSettings(danger, 2.5, 700, { minHourlyCents: { USD: 725 }, minRating: 3 }, true)).toEqual({ ...danger, belowMinimums: true, blocked: true });
  });

  it('gives no brief for keys whose hashes collide (they wait for the full answer)', () => {
    // Found by hashing key(0), key(1), … until two met.
    const pair = ['mturk:A0000000317786', 'mturk:A0000001056240'] as [RequesterKey, RequesterKey];
    expect(fnv1a32(pair[0])).toBe(fnv1a32(pair[1]));
    const ok: BadgeBrief = { ...UNKNOWN_BRIEF, level: 'ok' };
    const shards = roundTrip([[pair[0], entryFor(ok)], [pair[1], entryFor({ ...ok, level: 'danger' })], [key(-1), entryFor(ok)]]);
    expect(lookUp(shards, pair[0])).toBeNull();
    expect(lookUp(shards, pair[1])).toBeNull();
    expect([...shards.values()].reduce((n, shard) => n + shard.size, 0)).toBe(2);
  });

  it('refuses a stored shard that is not whole, sorted entries of its own shard', () => {
    const [n, good] = [...encodeShards(briefs.slice(0, 1).map(([k, brief]) => [k, entryFor(brief)]))][0]!;
    expect(() => Shard.decode(btoa('1234567'), n!)).toThrow(/whole entries/);
    expect(() => Shard.decode(good, (n! + 1) % 4096)).toThrow(/wrong shard/);
    expect(() => Shard.decode(42, n!)).toThrow(/not text/);
    // Two hashes of shard 5, written in the wrong order.
    const text = encodeShard([(5 << 20) | 1, (5 << 20) | 2].map((hash) => [hash >>> 0, entryFor(UNKNOWN_BRIEF)] as const));
    expect(Shard.decode(text, 5).size).toBe(2);
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const swapped = new Uint8Array([...bytes.slice(16, 32), ...bytes.slice(0, 16)]);
    expect(() => Shard.decode(btoa(String.fromCharCode(...swapped)), 5)).toThrow(/sorted/);
    expect(Shard.decode('', 0).size).toBe(0);
  });

  it('names shards by storage key and back', () => {
    expect(shardKey(0)).toBe('badgeIndex.000');
    expect(shardKey(4095)).toBe('badgeIndex.fff');
    expect(shardOfKey('badgeIndex.abc')).toBe(0xabc);
    expect(shardOfKey('badgeIndex.meta')).toBeNull();
    expect(shardOfKey('badgeIndex')).toBeNull();
  });
});

describe('fnv1a32', () => {
  it('hashes the UTF-8 bytes, for ASCII and for text beyond it', () => {
    const reference = (text: string) => {
      let hash = 0x811c9dc5;
      for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193);
      return hash >>> 0;
    };
    for (const text of ['', 'mturk:A1B2C3D4E5F6G7', 'Müller & Søn', 'abc日本語', '😀 emoji', 'x\u007f\u0080y']) {
      expect(fnv1a32(text), text).toBe(reference(text));
    }
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c); // the published FNV-1a test vector
  });
});
