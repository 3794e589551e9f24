/**
 * What Mechanical Turk's pages show of the worker's own work, for the browser-only work
 * log: the task page (previewed, or accepted with its assignment id), the queue (accepted
 * tasks, from its props rows) and status details (each submitted task with its state and
 * the day's date). Ids come only from `requester_id` fields and the contact-requester URL,
 * never from page text: the worker's own id looks the same.
 */
import { requesterKey } from '../core/requester-key.js';
import type { WorkObservation } from '../core/work-log.js';
import { readTableProps } from './mturk-props.js';
import { isTaskPage, taskPageContext } from './mturk-task-page.js';
import { dollars, outcomeOf, plainId, taskObservation, text } from './work.js';

const QUEUE = '[data-react-class*="TaskQueueTable"]';
const STATUS = '[data-react-class*="HitStatusDetailsTable"]';
const STATUS_PATH = /^\/status_details\/(\d{4}-\d{2}-\d{2})\/?$/;

type Props = Record<string, unknown>;
const obj = (value: unknown): Props => (value && typeof value === 'object' ? (value as Props) : {});

function time(value: unknown): number | null {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** A row's task group from its contact-requester URL (status rows carry no group field). */
function groupFromContactUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    return plainId(new URL(url, 'https://worker.mturk.com').searchParams.get('hit_type_message[hit_type_id]'));
  } catch {
    return null;
  }
}

function rowObservation(row: Props, taskId: string | null, event: WorkObservation['event'], at: number | null, outcome: WorkObservation['outcome']): WorkObservation | null {
  const id = row.requester_id;
  const requester = typeof id === 'string' ? requesterKey('mturk', id) : null;
  if (!requester || !taskId) return null;
  const reward = obj(row.monetary_reward ?? row.reward);
  return {
    requester,
    requesterName: text(row.requester_name, 200),
    taskId,
    assignmentId: plainId(row.assignment_id),
    taskTitle: text(row.title, 300),
    reward: reward.currency_code === 'USD' ? dollars(reward.amount_in_dollars) : null,
    event,
    at,
    outcome,
  };
}

/**
 * A task page's own forms: Return (`_method=delete` on the task's URL) and, for tasks
 * MTurk hosts itself, Submit (`…/tasks/<TASK>/submit`). Tasks on a requester's site submit
 * from inside their frame, out of reach: status details note those a day later.
 */
export function mturkWorkOnSubmit(form: HTMLFormElement, doc: Document, url: URL): WorkObservation | null {
  if (!isTaskPage(url)) return null;
  const action = form.getAttribute('action') ?? '';
  const returning = form.querySelector<HTMLInputElement>('input[name="_method"]')?.value.toLowerCase() === 'delete';
  const event = returning && /\/projects\/[^/]+\/tasks\//.test(action) ? 'returned' : /\/tasks\/[^/?]+\/submit(?:\?|$)/.test(action) ? 'submitted' : null;
  const assignmentId = plainId(url.searchParams.get('assignment_id'));
  const task = event && assignmentId ? taskPageContext(doc, url) : null;
  return task && event ? taskObservation(task, event, assignmentId) : null;
}

export function mturkWork(doc: Document, url: URL): WorkObservation[] {
  if (isTaskPage(url)) {
    const task = taskPageContext(doc, url);
    if (!task) return [];
    const observed = task.accepted ? taskObservation(task, 'accepted', plainId(url.searchParams.get('assignment_id'))) : taskObservation(task, 'previewed', null);
    return observed ? [observed] : [];
  }
  const path = url.pathname.replace(/\/+$/, '');
  const observations: (WorkObservation | null)[] = [];
  if (path === '/tasks') {
    for (const mount of doc.querySelectorAll(QUEUE)) {
      for (const row of readTableProps<Props>(mount) ?? []) {
        const project = obj(row.project);
        const queued = { ...project, assignment_id: row.assignment_id };
        observations.push(rowObservation(queued, plainId(project.hit_set_id), 'accepted', time(row.accepted_at), null));
      }
    }
  }
  const day = path.match(STATUS_PATH)?.[1];
  if (day) {
    // The page lists what was submitted that day; noon UTC keeps the date the same in
    // every time zone a worker is likely in.
    const at = time(`${day}T12:00:00Z`);
    for (const mount of doc.querySelectorAll(STATUS)) {
      for (const row of readTableProps<Props>(mount) ?? []) {
        observations.push(rowObservation(row, groupFromContactUrl(row.contact_requester_url), 'status', at, outcomeOf(row.state)));
      }
    }
  }
  return observations.filter((o): o is WorkObservation => o !== null);
}
