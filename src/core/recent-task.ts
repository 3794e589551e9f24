/** A task the worker did or accepted, kept only in this browser. */
import * as z from 'zod/mini';
import { RequesterKey } from './requester-key.js';
import { int } from './rules.js';
import { Money, TaskId } from './fields.js';

/** A task the worker did or accepted, kept only in this browser to pick from when reporting. */
export const RecentTask = z.strictObject({
  requester: RequesterKey,
  requesterName: z.string().check(z.maxLength(200)),
  taskId: TaskId,
  taskTitle: z.string().check(z.maxLength(300)),
  reward: z.nullable(Money),
  /** When the worker accepted it in this browser, if they did. */
  acceptedAt: z.nullable(int(0)),
  seenAt: int(0),
});
export type RecentTask = z.infer<typeof RecentTask>;
export const RECENT_TASKS_CAP = 50;
