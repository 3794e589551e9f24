/**
 * The review form's working state: everything as the worker typed it (strings), turned
 * into a ReviewInput only on submit, so a half-typed amount never becomes a wrong number.
 */
import type { PageInfo } from '../../core/messages.js';
import type { Currency } from '../../core/rules.js';
import { RATING_DIMENSIONS, type IssueTag, type Outcome, type RatingDimension, type ReviewInput } from '../../core/schemas.js';
import type { OwnReview } from '../../core/sync-protocol.js';
import type { WorkLogEntry } from '../../core/work-log.js';
import { centsToInput, minutesSince, parseMoney, parseOptionalNumber } from './format.js';

export interface ReviewDraft {
  requester: string;
  requesterName: string;
  taskId: string;
  taskTitle: string;
  reward: string;
  currency: Currency;
  bonus: string;
  minutes: string;
  finished: boolean;
  outcome: Outcome;
  daysToDecision: string;
  /** '' = n/a, else '1'…'5'. */
  ratings: Record<RatingDimension, string>;
  text: string;
  tags: IssueTag[];
}

export type PageTask = NonNullable<PageInfo['task']>;

const MAX_MINUTES = 7 * 24 * 60;

function defaultCurrency(requester: string): Currency {
  return requester.startsWith('prolific:') ? 'GBP' : 'USD';
}

function noRatings(): Record<RatingDimension, string> {
  return { pay: '', fairness: '', speed: '', communication: '' };
}

/** A blank review about one requester, with the task on the page if it is theirs. */
export function newDraft(requester: { key: string; name: string }, task: PageTask | null, now = Date.now()): ReviewDraft {
  const ownTask = task && task.requester === requester.key ? task : null;
  const accepted = ownTask?.acceptedAt ?? null;
  return {
    requester: requester.key,
    requesterName: requester.name,
    taskId: ownTask?.taskId ?? '',
    taskTitle: ownTask?.taskTitle ?? '',
    reward: centsToInput(ownTask?.reward?.cents),
    currency: ownTask?.reward?.currency ?? defaultCurrency(requester.key),
    bonus: '',
    minutes: accepted !== null ? String(Math.min(MAX_MINUTES, minutesSince(accepted, now))) : '',
    finished: true,
    outcome: 'pending',
    daysToDecision: '',
    ratings: noRatings(),
    text: '',
    tags: [],
  };
}

const DAY_MS = 86_400_000;

/** Where the suggested minutes came from, for the hint beside the field. */
export type MinutesSource = 'accepted' | 'work-log' | null;

/**
 * Fills what the work log knows (kept only in this browser) into a draft: time worked =
 * submitted − accepted when both are known, the outcome once decided, days to decision =
 * decided − submitted. What the log does not know keeps the draft's own value.
 */
export function withWorkLog(draft: ReviewDraft, entry: WorkLogEntry | null): { draft: ReviewDraft; minutesFrom: MinutesSource } {
  const minutesFrom: MinutesSource = draft.minutes !== '' ? 'accepted' : null;
  if (!entry || entry.requester !== draft.requester) return { draft, minutesFrom };
  const next = { ...draft };
  let from: MinutesSource = minutesFrom;
  if (entry.acceptedAt !== null && entry.submittedAt !== null && entry.submittedAt >= entry.acceptedAt) {
    next.minutes = String(Math.min(MAX_MINUTES, minutesSince(entry.acceptedAt, entry.submittedAt)));
    from = 'work-log';
  }
  if (entry.outcome) next.outcome = entry.outcome;
  if (entry.returnedAt !== null && entry.submittedAt === null) next.finished = false;
  if (entry.decidedAt !== null && entry.submittedAt !== null && entry.decidedAt >= entry.submittedAt) {
    next.daysToDecision = String(Math.min(365, Math.round(((entry.decidedAt - entry.submittedAt) / DAY_MS) * 10) / 10));
  }
  if (!next.taskId) next.taskId = entry.taskId;
  if (!next.taskTitle) next.taskTitle = entry.taskTitle;
  if (next.reward === '' && entry.reward) {
    next.reward = centsToInput(entry.reward.cents);
    next.currency = entry.reward.currency;
  }
  return { draft: next, minutesFrom: from };
}

/** A review of a task from the work log ("tasks you could review"). */
export function draftFromWorkLog(entry: WorkLogEntry): { draft: ReviewDraft; minutesFrom: MinutesSource } {
  const requester = { key: entry.requester, name: entry.requesterName || entry.requester };
  return withWorkLog(newDraft(requester, null), entry);
}

/** A draft from a review already written (an outbox item, or the worker's own published one). */
export function draftFromReview(review: ReviewInput | (OwnReview & { requesterName: string })): ReviewDraft {
  const ratings = noRatings();
  for (const dim of RATING_DIMENSIONS) {
    const value = review.ratings[dim];
    ratings[dim] = value === null || value === undefined ? '' : String(value);
  }
  return {
    requester: review.requester,
    requesterName: review.requesterName,
    taskId: review.taskId,
    taskTitle: review.taskTitle,
    reward: centsToInput(review.reward.cents),
    currency: review.reward.currency,
    bonus: review.bonusCents ? centsToInput(review.bonusCents) : '',
    minutes: review.minutes === null ? '' : String(review.minutes),
    finished: review.finished,
    outcome: review.outcome,
    daysToDecision: review.daysToDecision === null || review.daysToDecision === undefined ? '' : String(review.daysToDecision),
    ratings,
    text: review.text ?? '',
    tags: [...(review.tags ?? [])],
  };
}

export type DraftResult = { ok: true; payload: ReviewInput } | { ok: false; field: string; messageKey: string };

/** The draft as a ReviewInput; money and number fields that don't parse name their field. */
export function reviewFromDraft(draft: ReviewDraft): DraftResult {
  const reward = parseMoney(draft.reward);
  if (reward === null) return { ok: false, field: 'reward', messageKey: 'errorMoney' };
  const bonus = draft.bonus.trim() === '' ? 0 : parseMoney(draft.bonus);
  if (bonus === null) return { ok: false, field: 'bonusCents', messageKey: 'errorMoney' };
  const minutes = parseOptionalNumber(draft.minutes);
  if (Number.isNaN(minutes)) return { ok: false, field: 'minutes', messageKey: 'errorNumber' };
  const days = parseOptionalNumber(draft.daysToDecision);
  if (Number.isNaN(days)) return { ok: false, field: 'daysToDecision', messageKey: 'errorNumber' };
  const rating = (value: string) => (value === '' ? null : Number(value));
  return {
    ok: true,
    payload: {
      requester: draft.requester,
      requesterName: draft.requesterName,
      taskId: draft.taskId.trim(),
      taskTitle: draft.taskTitle,
      reward: { cents: reward, currency: draft.currency },
      bonusCents: bonus,
      minutes,
      finished: draft.finished,
      outcome: draft.outcome,
      daysToDecision: days,
      ratings: {
        pay: rating(draft.ratings.pay),
        fairness: rating(draft.ratings.fairness),
        speed: rating(draft.ratings.speed),
        communication: rating(draft.ratings.communication),
      },
      text: draft.text,
      tags: draft.tags,
    },
  };
}
