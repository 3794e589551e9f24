/**
 * The review form's working state: everything as the worker typed it (strings), turned
 * into a ReviewInput only on submit, so a half-typed amount never becomes a wrong number.
 */
import type { PageInfo } from '../../core/messages.js';
import { defaultCurrency } from '../../core/platforms.js';
import { DEFAULT_REVIEW_RULES, REVIEW_MIN_TEXT, type Currency, type ReviewRules } from '../../core/rules.js';
import { hasSubstance, RATING_DIMENSIONS, ReviewInput, type IssueTag, type Outcome, type RatingDimension } from '../../core/schemas.js';
import { t } from '../i18n.js';
import { issuesToFields, type FieldErrors } from './form-errors.js';
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
  /**
   * null = not chosen yet. A new draft never defaults it: "finished" beside a time merely
   * suggested (from when the task was accepted) once published pay nobody had checked.
   */
  finished: boolean | null;
  outcome: Outcome;
  daysToDecision: string;
  /** '' = n/a, else '1'…'5'. */
  ratings: Record<RatingDimension, string>;
  text: string;
  tags: IssueTag[];
}

export type PageTask = NonNullable<PageInfo['task']>;

const MAX_MINUTES = 7 * 24 * 60;

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
    finished: null,
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
  // The log saw the task submitted or returned: that is a fact, not a default.
  if (entry.submittedAt !== null) next.finished = true;
  else if (entry.returnedAt !== null) next.finished = false;
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

export type DraftResult = { ok: true; payload: ReviewInput } | { ok: false; errors: FieldErrors };

/**
 * The draft as a ReviewInput, or every problem at once (field path → words), so the worker
 * sees all of them beside their fields in one go: amounts and numbers that don't parse, a
 * "finished?" not answered, then whatever the shared schema (the one the server applies)
 * says of the rest.
 */
export function reviewFromDraft(draft: ReviewDraft): DraftResult {
  const errors: FieldErrors = {};
  const reward = parseMoney(draft.reward);
  if (reward === null) errors.reward = t('errorMoney');
  const bonus = draft.bonus.trim() === '' ? 0 : parseMoney(draft.bonus);
  if (bonus === null) errors.bonusCents = t('errorMoney');
  const minutes = parseOptionalNumber(draft.minutes);
  if (Number.isNaN(minutes)) errors.minutes = t('errorNumber');
  const days = parseOptionalNumber(draft.daysToDecision);
  if (Number.isNaN(days)) errors.daysToDecision = t('errorNumber');
  if (draft.finished === null) errors.finished = t('formErrorFinished');
  const rating = (value: string) => (value === '' ? null : Number(value));
  const payload: ReviewInput = {
    requester: draft.requester,
    requesterName: draft.requesterName,
    taskId: draft.taskId.trim(),
    taskTitle: draft.taskTitle,
    reward: { cents: reward ?? 0, currency: draft.currency },
    bonusCents: bonus ?? 0,
    minutes: Number.isNaN(minutes) ? null : minutes,
    finished: draft.finished ?? false,
    outcome: draft.outcome,
    daysToDecision: Number.isNaN(days) ? null : days,
    ratings: {
      pay: rating(draft.ratings.pay),
      fairness: rating(draft.ratings.fairness),
      speed: rating(draft.ratings.speed),
      communication: rating(draft.ratings.communication),
    },
    text: draft.text,
    tags: draft.tags,
  };
  const parsed = ReviewInput.safeParse(payload);
  if (!parsed.success) Object.assign(errors, { ...issuesToFields(parsed.error.issues), ...errors });
  // The schema's refinement is skipped when a field is already wrong: say it anyway.
  if (!hasSubstance(payload) && !errors.text) errors.text = t('formErrorSaySomething', [String(REVIEW_MIN_TEXT)]);
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, payload };
}

/** Reward (with bonus) per hour worked, in minor units, when time worked is known and positive. */
export function hourlyCents(payload: Pick<ReviewInput, 'reward' | 'bonusCents' | 'minutes'>): number | null {
  if (payload.minutes === null || payload.minutes <= 0) return null;
  return ((payload.reward.cents + (payload.bonusCents ?? 0)) / payload.minutes) * 60;
}

/** 'high' / 'low' when the hourly pay is beyond the published bounds, so the form asks "are you sure?". */
export function implausiblePace(payload: Pick<ReviewInput, 'reward' | 'bonusCents' | 'minutes'>, rules: ReviewRules = DEFAULT_REVIEW_RULES): 'high' | 'low' | null {
  const hourly = hourlyCents(payload);
  if (hourly === null) return null;
  if (hourly > rules.confirmHourlyAboveCents) return 'high';
  if (payload.reward.cents > 0 && hourly < rules.confirmHourlyBelowCents) return 'low';
  return null;
}
