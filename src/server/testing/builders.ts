/** Small builders for valid inputs, so each test states only what it is about. */
import { randomUUID } from 'node:crypto';
import { DEFAULT_RULES } from '../../core/rules.js';
import type { Review } from '../../core/schemas.js';
import { decodeSummary, EncodedSummary } from '../../core/sync-protocol.js';
import type { RequesterSummary } from '../../core/schemas.js';
import type { AccountRecord, Storage, WriteContext } from '../storage/storage.js';

export const DAY = 86_400_000;
export const T0 = Date.parse('2026-06-01T12:00:00Z');
export const KEY_A = 'mturk:A1ACMELABS0001';
export const KEY_B = 'mturk:A2BETARESEARCH9';
export const KEY_P = 'prolific:5f0c1a2b3c4d5e6f70819203';

export function review(over: Partial<Review> = {}): Review {
  return {
    requester: KEY_A,
    requesterName: 'Acme Labs',
    taskId: `T${randomUUID().slice(0, 8)}`,
    taskTitle: 'Short survey about shopping',
    reward: { cents: 100, currency: 'USD' },
    bonusCents: 0,
    minutes: 6,
    finished: true,
    outcome: 'approved',
    daysToDecision: 2,
    ratings: { pay: 4, fairness: 5, speed: 4, communication: null },
    text: 'Fair task.',
    tags: [],
    ...over,
  };
}

let counter = 0;
export function ctx(account: AccountRecord, now: number, key = `key-${++counter}-${randomUUID()}`): WriteContext {
  return { account, idempotencyKey: key, requestHash: `hash-${key}`, now };
}

/** An account created `ageDays` before `now` (so established when ≥ 7). */
export function makeAccount(storage: Storage, now: number, ageDays = 30): Promise<AccountRecord> {
  return storage.createAccount(`hash-${randomUUID()}`, now - ageDays * DAY);
}

/** The current summary of `key`, decoded from the storage's own snapshot rows. */
export async function summaryOf(storage: Storage, key: string): Promise<RequesterSummary | null> {
  const { rows } = await storage.snapshot();
  for (const text of rows) {
    const row = EncodedSummary.parse(JSON.parse(text));
    if (row[0] === key) return decodeSummary(row, DEFAULT_RULES);
  }
  return null;
}
