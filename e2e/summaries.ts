/** Requester summaries in each warning state, made with the same rating math the server uses. */
import { summarize, type ReviewFacts } from '../src/core/rating.js';
import type { RequesterKey } from '../src/core/requester-key.js';
import { DEFAULT_RULES } from '../src/core/rules.js';
import type { RequesterSummary } from '../src/core/schemas.js';

export type SummaryState = 'ok' | 'caution' | 'danger' | 'held';

const NOW = Date.now();
const DAY = 86_400_000;

function review(account: number, centsPerHour: number): ReviewFacts {
  return {
    account,
    established: true,
    createdAt: NOW - 3 * DAY,
    reward: { cents: centsPerHour, currency: 'USD' },
    bonusCents: 0,
    minutes: 60,
    finished: true,
    outcome: 'approved',
    daysToDecision: 2,
    ratings: { pay: 4, fairness: 5, speed: 4, communication: null },
    tags: [],
  };
}

export function summaryFor(key: string, name: string, state: SummaryState): RequesterSummary {
  const payPerHour = state === 'caution' ? 350 : 1260;
  const reviews = [1, 2, 3, 4, 5, 6].map((account) => review(account, payPerHour));
  const suspensions =
    state === 'danger' ? [11, 12, 13].map((account) => ({ account, established: true, reportedAt: NOW - 5 * DAY })) : [];
  return summarize(
    {
      key: key as RequesterKey,
      name,
      reviews: state === 'held' ? [] : reviews,
      heldReviews: state === 'held' ? 4 : 0,
      suspensions,
      issueFlags: [],
      confirmed: { suspension: false, phishing: false },
    },
    NOW,
    DEFAULT_RULES,
  );
}
