/** Turning stored review rows into what authors and the public see. */
import { createHmac } from 'node:crypto';
import type { Review } from '../../core/schemas.js';
import type { OwnReview, PublicReview } from '../../core/sync-protocol.js';

export interface ReviewRecord {
  id: string;
  requester_key: string;
  author_pseudonym: string;
  body_json: string;
  created_at: number;
  edited_at: number | null;
  status: string;
  status_reason: string | null;
}

export const REVIEW_COLUMNS = 'id, requester_key, author_pseudonym, body_json, created_at, edited_at, status, status_reason';

/**
 * The public name of an author, different for every requester they review (so outsiders
 * cannot join one person's reviews across requesters) and unguessable without the pepper.
 */
export function pseudonym(pepper: string, accountId: string, requesterKey: string): string {
  return createHmac('sha256', pepper).update(`${accountId}\n${requesterKey}`).digest('base64url').slice(0, 10);
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function publicReview(row: ReviewRecord): PublicReview {
  const body = JSON.parse(row.body_json) as Review;
  return {
    id: row.id,
    author: row.author_pseudonym,
    createdOn: day(row.created_at),
    editedOn: row.edited_at === null ? null : day(row.edited_at),
    taskId: body.taskId,
    taskTitle: body.taskTitle,
    reward: body.reward,
    bonusCents: body.bonusCents,
    minutes: body.minutes,
    finished: body.finished,
    outcome: body.outcome,
    daysToDecision: body.daysToDecision,
    ratings: body.ratings,
    text: body.text,
    tags: body.tags,
  };
}

export function ownReview(row: ReviewRecord): OwnReview {
  const body = JSON.parse(row.body_json) as Review;
  return {
    ...publicReview(row),
    requester: row.requester_key as OwnReview['requester'],
    requesterName: body.requesterName,
    status: row.status as OwnReview['status'],
    statusReason: row.status_reason,
  };
}
