import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize, type ReviewFacts } from './rating.js';
import { DEFAULT_RULES } from './rules.js';
import { RequesterSummary } from './schemas.js';
import { fnv1a32 } from './hash.js';
import {
  EMPTY_CHECKSUM,
  EncodedSummary,
  SnapshotBody,
  bucketPrefix,
  canonicalRow,
  checksumOf,
  decodeSummary,
  encodeSummary,
  formatVersionToken,
  parseVersionToken,
  prefixLengthFor,
  rowDigest,
  updateChecksum,
} from './sync-protocol.js';
import { fakeRequesterKey, fakeRequesterName, fakeReview, reviewCounts, seededRandom } from '../server/testing/fake-data.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY = 86_400_000;

function fakeSummary(index: number, reviews: number, random: () => number): RequesterSummary {
  const key = fakeRequesterKey(index, random);
  const name = fakeRequesterName(random);
  const facts: ReviewFacts[] = [];
  for (let i = 0; i < reviews; i++) {
    const r = fakeReview(key, name, `T${i}`, random);
    facts.push({ ...r, account: Math.floor(random() * 1e6), established: true, createdAt: NOW - Math.floor(random() * 900) * DAY });
  }
  const suspensions = random() < 0.02 ? [{ account: 1, established: true, reportedAt: NOW - 3 * DAY }] : [];
  return summarize(
    { key, name, reviews: facts, heldReviews: random() < 0.01 ? 1 : 0, suspensions, issueFlags: [], confirmed: { suspension: false, phishing: false } },
    NOW,
    DEFAULT_RULES,
  );
}

describe('compact summary encoding', () => {
  it('round-trips through decode within its rounding, and re-encodes to the same row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer(), (reviews, seed) => {
        const summary = fakeSummary(7, reviews, seededRandom(seed));
        const row = encodeSummary(summary);
        expect(EncodedSummary.safeParse(JSON.parse(JSON.stringify(row))).success).toBe(true);
        const decoded = decodeSummary(row, DEFAULT_RULES);
        expect(RequesterSummary.safeParse(decoded).success).toBe(true);
        expect(encodeSummary(decoded)).toEqual(row);
        expect(decoded.allTime.reviews).toBe(summary.allTime.reviews);
        expect(decoded.allTime.ratings).toEqual(summary.allTime.ratings);
        expect(decoded.recent.ratings).toEqual(summary.recent.ratings);
        expect(decoded.allTime.rejectionShare).toBe(summary.allTime.rejectionShare);
        expect(decoded.suspensions).toEqual(summary.suspensions);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the snapshot of 100,000 realistic requesters under 4 MB gzip-compressed', () => {
    const random = seededRandom(42);
    const counts = reviewCounts(100_000, 1_000_000, random);
    const rows = counts.map((n, i) => encodeSummary(fakeSummary(i, Math.min(n, 60), random)));
    const body: SnapshotBody = {
      format: 1,
      version: formatVersionToken('abcdEF12', 123456),
      rulesVersion: 1,
      bucketPrefixLength: prefixLengthFor(rows.length),
      checksum: checksumOf(rows),
      rows,
    };
    const gz = gzipSync(JSON.stringify(body), { level: 9 });
    console.log(`snapshot of 100k requesters: ${(gz.length / 1e6).toFixed(2)} MB gzip, ${(JSON.stringify(body).length / 1e6).toFixed(1)} MB raw`);
    expect(gz.length).toBeLessThan(4_000_000);
  }, 60_000);
});

describe('checksum', () => {
  it('is FNV-1a 32 over UTF-8', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('updates incrementally to the same value as a full recomputation', () => {
    const random = seededRandom(1);
    const rows = Array.from({ length: 30 }, (_, i) => encodeSummary(fakeSummary(i, i % 5, random)));
    let incremental = EMPTY_CHECKSUM;
    for (const row of rows) incremental = updateChecksum(incremental, null, rowDigest(row));
    expect(incremental).toEqual(checksumOf(rows));
    // Replace row 3 with a new version of the same requester.
    const changed = encodeSummary({ ...decodeSummary(rows[3]!, DEFAULT_RULES), held: 9 });
    const after = updateChecksum(incremental, rowDigest(rows[3]!), rowDigest(changed));
    expect(after).toEqual(checksumOf(rows.map((r, i) => (i === 3 ? changed : r))));
    expect(after.rows).toBe(30);
    expect(canonicalRow(changed)).not.toBe(canonicalRow(rows[3]!));
  });
});

describe('version tokens', () => {
  it('round-trip and reject junk', () => {
    expect(parseVersionToken(formatVersionToken('Ab_-12', 42))).toEqual({ epoch: 'Ab_-12', seq: 42 });
    for (const bad of ['', '42', 'abc.1', 'abcd.-1', 'abcd.01', 'abcd.1.2', 'ab cd.1', 'abcd.99999999999999999']) {
      expect(parseVersionToken(bad), bad).toBeNull();
    }
  });
});

describe('buckets', () => {
  it('computes the prefix with Web Crypto exactly as SHA-256 hex', async () => {
    const key = 'mturk:A1B2C3D4E5F6G7';
    const hex = createHash('sha256').update(key).digest('hex');
    expect(await bucketPrefix(key, 3)).toBe(hex.slice(0, 3));
    expect(await bucketPrefix(key, 4)).toBe(hex.slice(0, 4));
    expect(await bucketPrefix(key, 0)).toBe('');
  });

  it('chooses prefix lengths whose buckets average at least 20 requesters', () => {
    for (const count of [0, 19, 20, 319, 320, 5119, 5120, 100_000, 5_000_000]) {
      const length = prefixLengthFor(count);
      if (count >= 20) expect(count / 16 ** length).toBeGreaterThanOrEqual(20);
      expect(count / 16 ** (length + 1) < 20 || length === 8).toBe(true);
    }
    expect(prefixLengthFor(100_000)).toBe(3);
  });
});
