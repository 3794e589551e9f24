/**
 * Building work-log observations from what an adapter read. Page text goes through `text`
 * so an observation always passes the message schema (a stray control character in one
 * title must not lose the whole scan's observations).
 */
import { cutText } from '../core/text-cut.js';
import type { Outcome } from '../core/fields.js';
import type { WorkObservation } from '../core/work-log.js';
import type { TaskContext } from './types.js';

const TASK_ID = /^[0-9A-Za-z_-]{1,64}$/;

export function text(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  // eslint-disable-next-line no-control-regex
  return cutText(value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim(), max).trim();
}

/** A plain id (task group, assignment) or null: anything else is not one. */
export function plainId(value: unknown): string | null {
  return typeof value === 'string' && TASK_ID.test(value) ? value : null;
}

export function dollars(value: unknown): WorkObservation['reward'] {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 10_000 ? { cents: Math.round(value * 100), currency: 'USD' } : null;
}

/** The observation of a task page's own task. */
export function taskObservation(task: TaskContext, event: WorkObservation['event'], assignmentId: string | null): WorkObservation | null {
  const taskId = plainId(task.taskId);
  if (!taskId) return null;
  return {
    requester: task.requester,
    requesterName: text(task.requesterName, 200),
    taskId,
    assignmentId,
    taskTitle: text(task.taskTitle, 300),
    reward: task.reward,
    event,
    at: null,
    outcome: null,
  };
}

/** MTurk's status words, as the status details page shows them. */
export function outcomeOf(state: unknown): Outcome | null {
  const word = typeof state === 'string' ? state.trim().toLowerCase() : '';
  if (word === 'approved' || word === 'paid') return 'approved';
  if (word === 'rejected') return 'rejected';
  if (word === 'submitted' || word === 'pending' || word === 'pending approval') return 'pending';
  if (word === 'returned' || word === 'abandoned' || word === 'expired') return 'returned';
  return null;
}
