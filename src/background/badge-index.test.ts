/**
 * The badge index kept by the background, on fake-indexeddb and an in-memory extension
 * storage: a delta mends only the shards of the requesters it changed — and leaves them
 * exactly as a whole build would (hash collisions too); a settings change writes only the
 * meta; and the tab's brief from an entry plus the worker's settings is exactly the brief
 * of the full answer.
 */
import 'fake-indexeddb/auto';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { briefOf, packBrief, unpackBrief } from '../core/badge-brief.js';
import { BADGE_INDEX_META_KEY, encodeShards, Shard, SHARD_COUNT, shardKey, shardOf, StoredBadgeIndexMeta, withSettings } from '../core/badge-index.js';
import { fnv1a32 } from '../core/hash.js';
import { assess, summarize, type ReviewFacts } from '../core/rating.js';
import type { RequesterKey } from '../core/requester-key.js';
import { DEFAULT_RULES, type Thresholds } from '../core/rules.js';
import { checksumOf, encodeSummary, type EncodedSummary } from '../core/sync-protocol.js';

const storage = vi.hoisted(() => new Map<string, unknown>());
const writes = vi.hoisted(() => [] as string[][]);
const changeListeners = vi.hoisted(() => [] as ((changes: Record<string, { newValue?: unknown }>, area: string) => void)[]);
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      onChanged: { addListener: (listener: (typeof changeListeners)[number]) => changeListeners.push(listener) },
      local: {
        get: async (keys: string | string[] | null) => {
          const wanted = keys === null ? [...storage.keys()] : typeof keys === 'string' ? [keys] : keys;
          return Object.fromEntries(wanted.filter((k) => storage.has(k)).map((k) => [k, structuredClone(storage.get(k))]));
        },
        set: async (items: Record<string, unknown>) => {
          writes.push(Object.keys(items));
          Object.entries(items).forEach(([k, v]) => storage.set(k, structuredClone(v)));
          const changes = Object.fromEntries(Object.entries(items).map(([k, v]) => [k, { newValue: v }]));
          for (const listener of changeListeners) listener(changes, 'local');
        },
        remove: async (keys: string | string[]) => {
          for (const k of typeof keys === 'string' ? [keys] : keys) storage.delete(k);
        },
        getBytesInUse: async () => 0,
      },
    },
  },
}));

const { badgeIndexStatus, entryOf, keepBadgeIndex, rebuildBadgeIndex, updateBadgeIndex } = await import('./badge-index.js');
const { deleteDatabase } = await import('./db.js');
const { applyChanges, replaceAll } = await import('./replica.js');
const { updateSettings } = await import('./settings.js');

const NOW = Date.parse('2026-11-23T12:00:00Z');
const key = (i: number) => `mturk:A${String(i).padStart(13, '0')}` as RequesterKey;
/** Two keys whose hashes collide (found by hashing key(0), key(1), …). */
const TWINS = ['mturk:A0000000317786', 'mturk:A0000001056240'] as const;

/** A deterministic spread of requesters: pay above and below minimums, ratings, small samples, suspensions. */
function summaryOf(k: string, i: number) {
  const reviews: ReviewFacts[] = Array.from({ length: i % 6 }, (_, r) => ({
    account: i * 10 + r,
    established: true,
    createdAt: NOW - 86_400_000 * (1 + r),
    reward: { cents: 50 + ((i * 37 + r * 11) % 400), currency: i % 5 === 0 ? 'GBP' : 'USD' },
    bonusCents: 0,
    minutes: 2 + ((i + r) % 9),
    finished: true,
    outcome: (i + r) % 7 === 0 ? 'rejected' : 'approved',
    daysToDecision: 2,
    ratings: { pay: 1 + ((i + r) % 5), fairness: 1 + ((i * 3 + r) % 5), speed: 3, communication: null },
    tags: [],
  }));
  return summarize(
    {
      key: k as RequesterKey,
      name: `Requester ${i}`,
      reviews,
      heldReviews: i % 11 === 0 ? 1 : 0,
      suspensions: i % 29 === 0 ? [{ account: 1, established: true, reportedAt: NOW }] : [],
      issueFlags: [],
      confirmed: { suspension: false, phishing: i % 31 === 0 },
    },
    NOW,
    DEFAULT_RULES,
  );
}
const rowOf = (k: string, i: number): EncodedSummary => encodeSummary(summaryOf(k, i));

async function idle(): Promise<void> {
  await updateBadgeIndex([]);
  expect(badgeIndexStatus().building).toBe(false);
}

function storedShards(): Map<string, unknown> {
  return new Map([...storage].filter(([k]) => k !== BADGE_INDEX_META_KEY && k.startsWith('badgeIndex.')));
}

beforeAll(() => keepBadgeIndex());

beforeEach(async () => {
  await idle();
  await deleteDatabase();
  storage.clear();
  writes.length = 0;
});

describe('entries finished by the tab', () => {
  it('give exactly the full answer’s brief, for every worker’s minimums and the blocklist', () => {
    const thresholdSets: Thresholds[] = [
      { minHourlyCents: {}, minRating: null },
      { minHourlyCents: { USD: 725, GBP: 600 }, minRating: null },
      { minHourlyCents: { USD: 2000 }, minRating: 3.2 },
      { minHourlyCents: { GBP: 100_000 }, minRating: 4.5 },
      { minHourlyCents: { USD: 0 }, minRating: 1 },
    ];
    let differing = 0;
    for (let i = 0; i < 600; i++) {
      const summary = summaryOf(key(i), i);
      // Through a stored shard, as a tab reads it (the rating mean as float32).
      const hash = fnv1a32(key(i));
      const [, text] = [...encodeShards([[key(i), entryOf(summary, DEFAULT_RULES)]])][0]!;
      const entry = Shard.decode(text, shardOf(hash)).entry(hash)!;
      for (const thresholds of thresholdSets)
        for (const blocked of [false, true]) {
          // As the packed brief of the full answer (a danger's small pay sample never fits its bits).
          const expected = unpackBrief(packBrief(briefOf(summary, assess(summary, thresholds, DEFAULT_RULES), blocked)));
          expect(withSettings(unpackBrief(entry.brief), entry.ratingMin, entry.payCents, thresholds, blocked), `requester ${i}`).toEqual(expected);
          if (expected.level !== briefOf(summary, assess(summary, thresholdSets[0]!, DEFAULT_RULES), false).level) differing += 1;
        }
    }
    // The minimums did change levels in this spread (the test would otherwise prove little).
    expect(differing).toBeGreaterThan(100);
  });
});

describe('index kept in step with the replica', () => {
  const snapshotRows = () => [...Array.from({ length: 2000 }, (_, i) => rowOf(key(i), i)), rowOf(TWINS[0], 7)];

  /** The index a whole build makes of the replica as it is now: shard texts by storage key. */
  async function wholeBuild(): Promise<Map<string, unknown>> {
    await rebuildBadgeIndex();
    expect(badgeIndexStatus().last?.kind).toBe('full');
    return storedShards();
  }

  it('a delta mends only its requesters’ shards, to exactly what a whole build makes', async () => {
    const rows = snapshotRows();
    await replaceAll(rows, checksumOf(rows), { version: 't.1' }, async () => undefined);
    await idle();
    expect(badgeIndexStatus().last).toMatchObject({ kind: 'full', rows: 2001 });
    expect(storedShards().size).toBe(SHARD_COUNT);

    // 300 changed, 20 removed, 30 new — and the twin of a stored key (the pair turns ambiguous).
    writes.length = 0;
    const changed = [...Array.from({ length: 300 }, (_, i) => rowOf(key(i * 5), i + 1)), ...Array.from({ length: 30 }, (_, i) => rowOf(key(5000 + i), i)), rowOf(TWINS[1], 3)];
    const removed = Array.from({ length: 20 }, (_, i) => key(i * 5 + 1));
    await applyChanges(changed, removed, null, { version: 't.2' });
    await idle();
    const touched = new Set([...changed.map((row) => row[0]), ...removed].map((k) => shardKey(shardOf(fnv1a32(k)))));
    expect(badgeIndexStatus().last).toMatchObject({ kind: 'update', rows: 2001 + 30 - 20, shards: touched.size });
    expect(writes).toHaveLength(1);
    expect(new Set(writes[0])).toEqual(new Set([...touched, BADGE_INDEX_META_KEY]));
    const mended = storedShards();
    const twinShard = Shard.decode(mended.get(shardKey(shardOf(fnv1a32(TWINS[0])))), shardOf(fnv1a32(TWINS[0])));
    expect(twinShard.entry(fnv1a32(TWINS[0]))).toBeNull();
    expect(mended).toEqual(await wholeBuild());

    // One twin goes: the other is known again, and again as a whole build has it.
    await applyChanges([], [TWINS[0]], null, { version: 't.3' });
    await idle();
    expect(badgeIndexStatus().last?.kind).toBe('update');
    const after = storedShards();
    expect(Shard.decode(after.get(shardKey(shardOf(fnv1a32(TWINS[1])))), shardOf(fnv1a32(TWINS[1]))).entry(fnv1a32(TWINS[1]))).not.toBeNull();
    expect(after).toEqual(await wholeBuild());
  });

  it('a settings change writes only the meta; its thresholds and blocklist are the new ones', async () => {
    const rows = snapshotRows();
    await replaceAll(rows, checksumOf(rows), { version: 't.1' }, async () => undefined);
    await idle();
    const before = storedShards();
    const version = StoredBadgeIndexMeta.parse(storage.get(BADGE_INDEX_META_KEY)).version;
    writes.length = 0;
    await updateSettings({ thresholds: { minHourlyCents: { USD: 1500 }, minRating: 4 }, blocklist: [{ key: key(3), name: 'Three', addedOn: '2026-11-23' }] });
    await idle();
    expect(badgeIndexStatus().last?.kind).toBe('meta');
    expect(writes.filter((w) => w.some((k) => k.startsWith('badgeIndex')))).toEqual([[BADGE_INDEX_META_KEY]]);
    const meta = StoredBadgeIndexMeta.parse(storage.get(BADGE_INDEX_META_KEY));
    expect(meta).toMatchObject({ version: version + 1, requesters: 2001, thresholds: { minHourlyCents: { USD: 1500 }, minRating: 4 }, blocked: [key(3)] });
    expect(storedShards()).toEqual(before);
  });
});
