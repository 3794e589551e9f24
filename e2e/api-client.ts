/** Talks to a test server as another worker's extension would: for seeding and checking. */
import { randomUUID } from 'node:crypto';
import type { ReviewInput } from '../src/core/schemas.js';

export async function createAccount(server: string): Promise<string> {
  const response = await fetch(`${server}/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (response.status !== 201) throw new Error(`account: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accountSecret: string }).accountSecret;
}

export async function postReview(server: string, secret: string, review: ReviewInput): Promise<void> {
  const response = await fetch(`${server}/v1/reviews`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify(review),
  });
  if (!response.ok) throw new Error(`review: ${response.status} ${await response.text()}`);
}

export async function ownReviews(server: string, secret: string): Promise<unknown[]> {
  const response = await fetch(`${server}/v1/account/reviews`, { headers: { authorization: `Bearer ${secret}` } });
  if (!response.ok) throw new Error(`own reviews: ${response.status}`);
  return ((await response.json()) as { reviews: unknown[] }).reviews;
}

export function review(requester: string, name: string, over: Partial<ReviewInput> = {}): ReviewInput {
  return {
    requester,
    requesterName: name,
    taskId: '3W718UE9EU3HU46PLOZCGM2A1IF8KS',
    taskTitle: 'Answer a short survey',
    reward: { cents: 300, currency: 'USD' },
    minutes: 12,
    finished: true,
    outcome: 'approved',
    daysToDecision: 1,
    ratings: { pay: 4, fairness: 5, speed: 4, communication: null },
    text: 'Fair pay, approved the next day.',
    ...over,
  };
}
