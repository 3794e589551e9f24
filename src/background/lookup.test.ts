/**
 * `content/lookup` end to end inside the extension's code (replica on fake-indexeddb,
 * extension storage in memory): the background answers row texts that pass the message's
 * own schema, and the content script's reading of them gives exactly the summaries and
 * assessments the replica and the worker's thresholds call for — with the author's own
 * unsynced review merged in and the blocklist marked.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_MESSAGES } from '../core/messages.js';
import { assess } from '../core/rating.js';
import { DEFAULT_RULES } from '../core/rules.js';
import { checksumOf, decodeSummary, type EncodedSummary } from '../core/sync-protocol.js';
import type { OutboxItem } from '../core/extension-state.js';
import { lookupResults } from '../content/lookup-answer.js';

const storage = vi.hoisted(() => new Map<string, unknown>());
vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: { getURL: (path: string) => `chrome-extension://test/${path}`, id: 'test' },
    storage: {
      onChanged: { addListener: () => undefined },
      local: {
        get: async (key: string) => (storage.has(key) ? { [key]: structuredClone(storage.get(key)) } : {}),
        set: async (items: Record<string, unknown>) => Object.entries(items).forEach(([k, v]) => storage.set(k, structuredClone(v))),
      },
    },
  },
}));

const { contentHandlers } = await import('./handlers-content.js');
const { replaceAll } = await import('./replica.js');
const { deleteDatabase } = await import('./db.js');
const { noteQueued } = await import('./own-overlay.js');

const key = (n: number) => `mturk:A${String(n).padStart(12, '0')}`;
/** Pay 4/5 from `reviews` reviews at `cents`/h; rejections 0. */
const rowOf = (n: number, reviews: number, cents: number): EncodedSummary => [key(n), `Lab ${n}`, 1, [reviews, [reviews * 4, reviews], 0, 0, 0, ['USD', cents, reviews, 0], 0, reviews, 20], [0, null, 0], [0, 0, 0, 0], 0, 0];
const ROWS = [rowOf(1, 10, 1500), rowOf(2, 10, 300), rowOf(3, 1, 900), [key(4), 'Danger', 0, 0, [5, '2026-11-23', 1], [0, 0, 0, 0], 0, 0] as EncodedSummary];
const THRESHOLDS = { minHourlyCents: { USD: 725 }, minRating: null };
const sender = { tabId: 1, frameId: 0 };

async function lookup(keys: string[]) {
  const answer = await contentHandlers['content/lookup']({ platform: 'mturk', keys }, sender);
  // What the content script's sender checks before reading it.
  const checked = CONTENT_MESSAGES['content/lookup'].response.safeParse(JSON.parse(JSON.stringify(answer)));
  expect(checked.success).toBe(true);
  return checked.data!;
}

beforeEach(async () => {
  storage.clear();
  storage.set('settings', { serverUrl: 'http://127.0.0.1:1', thresholds: THRESHOLDS, blocklist: [{ key: key(3), name: 'Lab 3', addedOn: '2026-12-01' }] });
  await deleteDatabase();
  await replaceAll(ROWS, checksumOf(ROWS), { version: 't.1' }, async () => undefined);
});

describe('content/lookup', () => {
  it('answers row texts that read back as the replica’s summaries, assessed under the worker’s thresholds', async () => {
    const answer = await lookup([key(1), key(2), key(3), key(4), key(9), key(1)]);
    expect(answer.results.map((r) => r.key)).toEqual([key(1), key(2), key(3), key(4), key(9)]); // once each
    expect(answer.results.map((r) => r.blocked)).toEqual([false, false, true, false, false]);
    const results = lookupResults(answer);
    ROWS.forEach((row, i) => {
      const summary = decodeSummary(row, DEFAULT_RULES);
      expect(results[i]!.summary).toEqual(summary);
      expect(results[i]!.assessment).toEqual(assess(summary, THRESHOLDS, DEFAULT_RULES));
    });
    expect(results.map((r) => r.assessment.level)).toEqual(['ok', 'caution', 'unknown', 'danger', 'unknown']);
    expect(results[4]).toMatchObject({ summary: null, blocked: false });
  });

  it('merges the author’s own unsynced review into the answer at once', async () => {
    const item: OutboxItem = {
      id: 'o1',
      submission: {
        kind: 'review',
        payload: {
          requester: key(9),
          requesterName: 'New lab',
          taskId: '3AS5SGTU2GYRDPB34F61NLOFQ33W6Y',
          taskTitle: 'A task',
          reward: { cents: 300, currency: 'USD' },
          bonusCents: 0,
          minutes: 12,
          finished: true,
          outcome: 'approved',
          daysToDecision: 1,
          ratings: { pay: 4, fairness: null, speed: null, communication: null },
          text: 'Fair.',
          tags: [],
        },
      },
      createdAt: Date.now(),
      attempts: 0,
      state: 'queued',
      lastError: null,
      errorField: null,
      nextAttemptAt: 0,
    };
    await noteQueued(item);
    const [result] = lookupResults(await lookup([key(9)]));
    expect(result!.summary?.name).toBe('New lab');
    expect(result!.summary?.allTime.reviews).toBe(1);
    expect(result!.summary?.allTime.hourly).toMatchObject({ currency: 'USD', centsPerHour: 1500, tasks: 1 });
  });

  it('says disabled, with nothing else, for a platform the worker switched off', async () => {
    storage.set('settings', { ...(storage.get('settings') as object), platforms: { mturk: false, prolific: true } });
    vi.resetModules();
    const fresh = (await import('./handlers-content.js')).contentHandlers;
    const answer = await fresh['content/lookup']({ platform: 'mturk', keys: [key(1)] }, sender);
    expect(answer).toMatchObject({ enabled: false, results: [] });
  });
});
