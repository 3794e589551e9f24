/**
 * Issue 12, "a review must say something": the shared schema's rule, the form's check that
 * reports every field at once in words, the mapping of a server refusal to the same fields,
 * and the hourly bounds that make the form ask before sending.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RULES, Rules, REVIEW_MIN_TEXT } from '../../core/rules.js';
import { ReviewFields, ReviewInput } from '../../core/schemas.js';
import { StoredSubmission, Submission } from '../../core/extension-state.js';

vi.mock('webextension-polyfill', () => ({ default: { i18n: { getUILanguage: () => 'en' } } }));

type Messages = Record<string, { message: string }>;
const HERE = dirname(fileURLToPath(import.meta.url));
const en = JSON.parse(readFileSync(join(HERE, '..', '..', '_locales', 'en', 'messages.json'), 'utf8')) as Messages;

let draftModule: typeof import('./review-draft.js');
let errorsModule: typeof import('./form-errors.js');
beforeAll(async () => {
  (globalThis as unknown as { chrome: unknown }).chrome = {
    i18n: {
      getMessage: (key: string, subs: string | string[] = []) => {
        const values = typeof subs === 'string' ? [subs] : subs;
        return en[key]?.message.replace(/\$([1-9])/g, (_, n: string) => values[Number(n) - 1] ?? '') ?? '';
      },
      getUILanguage: () => 'en',
    },
  };
  draftModule = await import('./review-draft.js');
  errorsModule = await import('./form-errors.js');
});

const REQUESTER = { key: 'mturk:A1ACMELABS0001', name: 'Acme Labs' };
const TASK = {
  requester: REQUESTER.key,
  requesterName: REQUESTER.name,
  taskId: '3ABCTASK0000000000000000000001',
  taskTitle: 'A fifteen-minute survey',
  reward: { cents: 150, currency: 'USD' as const },
  acceptedAt: Date.now() - 60_000,
  accepted: true,
};

const review = (extra: Partial<ReviewInput> = {}): ReviewInput => ({
  requester: REQUESTER.key,
  requesterName: REQUESTER.name,
  taskId: TASK.taskId,
  taskTitle: TASK.taskTitle,
  reward: { cents: 150, currency: 'USD' },
  minutes: 15,
  finished: true,
  outcome: 'pending',
  daysToDecision: null,
  ratings: { pay: null, fairness: null, speed: null, communication: null },
  text: '',
  ...extra,
});

describe('the shared schema: a review must say something', () => {
  it('refuses a review with no rating and a text under the minimum, naming the text field', () => {
    const result = ReviewInput.safeParse(review({ text: 'x'.repeat(REVIEW_MIN_TEXT - 1) }));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['text']);
  });
  it('counts the text trimmed: spaces alone say nothing', () => {
    expect(ReviewInput.safeParse(review({ text: ` ${'a'.repeat(REVIEW_MIN_TEXT - 1)}          ` })).success).toBe(false);
  });
  it('takes one rating alone, or a text of the minimum length alone', () => {
    expect(ReviewInput.safeParse(review({ ratings: { pay: 2, fairness: null, speed: null, communication: null } })).success).toBe(true);
    expect(ReviewInput.safeParse(review({ text: 'a'.repeat(REVIEW_MIN_TEXT) })).success).toBe(true);
  });
  it('still reads an outbox item queued before the rule (it is refused when sent, not lost)', () => {
    const old = { kind: 'review', payload: review() };
    expect(ReviewFields.safeParse(old.payload).success).toBe(true);
    expect(StoredSubmission.safeParse(old).success).toBe(true);
    expect(Submission.safeParse(old).success).toBe(false);
  });
  it('publishes the rule with defaults, so rules published before it still parse', () => {
    const { reviews: _reviews, ...older } = DEFAULT_RULES;
    expect(Rules.parse(older).reviews).toEqual({ minTextLength: REVIEW_MIN_TEXT, confirmHourlyAboveCents: 10_000, confirmHourlyBelowCents: 50 });
  });
});

describe('the review form: every error at once, in words', () => {
  it('a new draft from a task page suggests a time but leaves "finished" unanswered', () => {
    const draft = draftModule.newDraft(REQUESTER, TASK);
    expect(draft.minutes).toMatch(/^\d+$/);
    expect(draft.finished).toBeNull();
  });

  it('the three-click review is refused with both problems, each on its field', () => {
    const result = draftModule.reviewFromDraft(draftModule.newDraft(REQUESTER, TASK));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      finished: 'say whether you finished the task',
      text: `give at least one rating, or write at least ${REVIEW_MIN_TEXT} characters`,
    });
  });

  it('reports amounts, numbers and schema problems together, never "Invalid input"', () => {
    const draft = { ...draftModule.newDraft(REQUESTER, TASK), reward: 'seventy', minutes: 'ten', taskId: '', finished: true };
    const result = draftModule.reviewFromDraft(draft);
    if (result.ok) throw new Error('expected errors');
    expect(Object.keys(result.errors).sort()).toEqual(['minutes', 'reward', 'taskId', 'text']);
    expect(result.errors.reward).toBe('enter an amount like 1.50');
    expect(result.errors.minutes).toBe('enter a number, or leave it empty');
    expect(result.errors.taskId).toBe('fill this in');
    for (const message of Object.values(result.errors)) expect(message).not.toMatch(/invalid input|expected|too small/i);
  });

  it('a draft that says something goes through as the shared schema takes it', () => {
    const draft = { ...draftModule.newDraft(REQUESTER, TASK), finished: true, minutes: '15', ratings: { pay: '3', fairness: '', speed: '', communication: '' } };
    const result = draftModule.reviewFromDraft(draft);
    expect(result.ok).toBe(true);
    if (result.ok) expect(ReviewInput.safeParse(result.payload).success).toBe(true);
  });

  it('maps a server refusal to the same fields and the same words', () => {
    const message = `text: give at least one rating or write at least ${REVIEW_MIN_TEXT} characters; minutes: Too big: expected number to be <=10080`;
    expect(errorsModule.refusalToFields(message, 'text')).toEqual({
      text: `give at least one rating, or write at least ${REVIEW_MIN_TEXT} characters`,
      minutes: 'Too big: expected number to be <=10080',
    });
    expect(errorsModule.refusalToFields('ui/submit: submission.payload.reward.cents: x', null)).toEqual({ reward: 'x' });
    expect(errorsModule.refusalToFields('must not contain phone numbers', 'text')).toEqual({ text: 'must not contain phone numbers' });
  });

  it('the schema issues of the server and of the form read alike', () => {
    // The rule is checked alongside the other fields: the server names all of them at once too.
    const parsed = ReviewInput.safeParse({ ...review(), minutes: 99_999, taskId: '' });
    if (parsed.success) throw new Error('expected issues');
    expect(errorsModule.issuesToFields(parsed.error.issues)).toEqual({
      minutes: 'enter 10080 or less',
      taskId: 'fill this in',
      text: `give at least one rating, or write at least ${REVIEW_MIN_TEXT} characters`,
    });
  });
});

describe('a time worked implausible for the reward asks before sending', () => {
  it('above the published ceiling (100 per hour) or below the floor, and not in between', () => {
    const pace = (cents: number, minutes: number | null) => draftModule.implausiblePace({ reward: { cents, currency: 'USD' }, bonusCents: 0, minutes });
    expect(pace(150, 1)).toBeNull(); // $90/h: under the ceiling
    expect(pace(150, 0.5)).toBe('high'); // $180/h
    expect(pace(1000, 1)).toBe('high'); // $600/h
    expect(pace(150, 15)).toBeNull(); // $6/h
    expect(pace(150, 7 * 24 * 60)).toBe('low'); // a week for $1.50
    expect(pace(150, null)).toBeNull();
  });
});
