/** A review as anyone may read it (its own module: the content script's detail card needs only this). */
import * as z from 'zod/mini';
import { Currency, IssueTag, Outcome, Rating, TaskId } from './fields.js';
import { int } from './rules.js';

/** A visible review as anyone may see it: the author is a pseudonym that differs per requester. */
export const PublicReview = z.object({
  id: z.string(),
  author: z.string(),
  /** Day precision only: exact times would help link an author's reviews. */
  createdOn: z.iso.date(),
  editedOn: z.nullable(z.iso.date()),
  taskId: TaskId,
  taskTitle: z.string(),
  reward: z.object({ cents: int(0), currency: Currency }),
  bonusCents: int(0),
  minutes: z.nullable(z.number()),
  finished: z.boolean(),
  outcome: Outcome,
  daysToDecision: z.nullable(z.number()),
  ratings: z.object({ pay: Rating, fairness: Rating, speed: Rating, communication: Rating }),
  text: z.string(),
  tags: z.array(IssueTag),
});
export type PublicReview = z.infer<typeof PublicReview>;
