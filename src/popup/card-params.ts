/**
 * What a detail card's action passes to the popup in its address (issue 12): the form,
 * the requester and its name, the task of the row clicked, the review to flag. The address
 * can be typed by anyone, so every part is checked with the shared schemas and dropped
 * when it doesn't fit; the form then opens less prefilled, never wrong.
 */
import { Money, RequesterKey, TaskId } from '../core/schemas.js';
import type { PageInfo } from '../core/messages.js';

export type CardTask = NonNullable<PageInfo['task']>;
type CardForm = 'review' | 'suspension' | 'flag' | 'review-flag';

export interface CardParams {
  form: CardForm;
  requester: { key: string; name: string | null };
  task: CardTask | null;
  review: { id: string; taskTitle: string; createdOn: string } | null;
}

const FORMS: readonly string[] = ['review', 'suspension', 'flag', 'review-flag'];

export function cardParams(search: string): CardParams | null {
  const params = new URLSearchParams(search);
  const form = params.get('form');
  const key = RequesterKey.safeParse(params.get('requester'));
  if (!form || !FORMS.includes(form) || !key.success) return null;
  const name = params.get('name')?.slice(0, 200) || null;
  const taskId = TaskId.safeParse(params.get('taskId'));
  const [cents, currency] = (params.get('reward') ?? '').split(' ');
  const reward = Money.safeParse({ cents: Number(cents), currency });
  const task: CardTask | null = taskId.success
    ? {
        requester: key.data,
        requesterName: name ?? '',
        taskId: taskId.data,
        taskTitle: (params.get('title') ?? '').slice(0, 300),
        reward: reward.success ? reward.data : null,
        acceptedAt: null,
      }
    : null;
  const reviewId = params.get('review');
  const review = reviewId && /^[A-Za-z0-9_-]{1,64}$/.test(reviewId) ? { id: reviewId, taskTitle: (params.get('reviewTitle') ?? '').slice(0, 300), createdOn: (params.get('reviewOn') ?? '').slice(0, 10) } : null;
  return { form: form as CardForm, requester: { key: key.data, name }, task, review };
}

/**
 * The task to prefill from: the page's own when it is the same task (it knows when the
 * worker accepted it), else the row's from the card, else the page's.
 */
export function taskToPrefill(page: CardTask | null, card: CardTask | null, requester: string): CardTask | null {
  if (card && card.requester === requester && !(page && page.requester === requester && page.taskId === card.taskId)) return card;
  return page;
}
