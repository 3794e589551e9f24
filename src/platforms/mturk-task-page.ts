/**
 * Mechanical Turk's task page (preview `/projects/<GID>/tasks` and accepted
 * `/projects/<GID>/tasks/<TASK>?assignment_id=…`). The page's ShowModal props carry the
 * title and reward but no requester id; the id comes from the props' contact-requester
 * URL, or else from the detail bar's requester link.
 */
import { cutText } from '../core/text-cut.js';
import { requesterKey } from '../core/requester-key.js';
import type { RequesterSpot, TaskContext } from './types.js';

const TASK_PATH = /^\/projects\/([0-9A-Z]{20,40})\/tasks(?:\/([0-9A-Z]{20,40}))?\/?$/;
const SHOW_MODAL = '[data-react-class*="ShowModal"]';
const DETAIL_REQUESTER_LINK = '.project-detail-bar a[href*="/requesters/"]';

interface ModalOptions {
  requesterName?: unknown;
  projectTitle?: unknown;
  contactRequesterUrl?: unknown;
  monetaryReward?: { amountInDollars?: unknown; currencyCode?: unknown };
}

function modalOptions(doc: Document): ModalOptions | null {
  for (const mount of doc.querySelectorAll(SHOW_MODAL)) {
    try {
      const props = JSON.parse(mount.getAttribute('data-react-props') ?? '') as { modalOptions?: ModalOptions } | null;
      if (props?.modalOptions && typeof props.modalOptions === 'object') return props.modalOptions;
    } catch {
      // unreadable props: try the next mount, then the DOM
    }
  }
  return null;
}

function requesterIdFromContactUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const params = new URL(url, 'https://worker.mturk.com').searchParams;
    return params.get('hit_type_message[requester_id]') ?? params.get('assignment_message[requester_id]');
  } catch {
    return null;
  }
}

export function isTaskPage(url: URL): boolean {
  return TASK_PATH.test(url.pathname);
}

/**
 * The requester spot on a task page: in the detail bar's title column, after the "HIT
 * Details" button. Not beside the requester link: that link sits in a narrow
 * `.text-truncate` cell (a quarter of the bar's right half, 119 CSS px at a 1024 px
 * window) that clips whatever overflows it — a badge after the name was cut off at 1024
 * and 1280 px and at 200 % zoom, and even before the name it doesn't fit beside the
 * "Requester:" label. The title column wraps instead of clipping, at every width. The
 * badge goes after the React mount, not into it: React owns what is inside.
 */
export function taskPageSpot(doc: Document, url: URL): RequesterSpot | null {
  const task = taskPageContext(doc, url);
  const bar = doc.querySelector('.project-detail-bar');
  if (!task || !bar) return null;
  const spot = { key: task.requester, name: task.requesterName, row: bar };
  const details = bar.querySelector(SHOW_MODAL) ?? bar.querySelector('.task-project-title');
  if (details) return { ...spot, anchor: details, position: 'afterend' };
  // No title column (changed layout): before the requester cell, so the cell can't clip it.
  const link = bar.querySelector(DETAIL_REQUESTER_LINK);
  if (!link) return null;
  return { ...spot, anchor: link.closest('.text-truncate') ?? link, position: 'beforebegin' };
}

export function taskPageContext(doc: Document, url: URL): TaskContext | null {
  const match = url.pathname.match(TASK_PATH);
  if (!match) return null;
  const options = modalOptions(doc);
  const link = doc.querySelector<HTMLAnchorElement>(DETAIL_REQUESTER_LINK);
  const id = requesterIdFromContactUrl(options?.contactRequesterUrl) ?? link?.getAttribute('href')?.match(/\/requesters\/(A[0-9A-Z]{11,20})/)?.[1] ?? null;
  const key = id ? requesterKey('mturk', id) : null;
  if (!key) return null;
  const name = typeof options?.requesterName === 'string' ? options.requesterName : (link?.getAttribute('title') ?? link?.textContent?.trim() ?? id!);
  const title =
    typeof options?.projectTitle === 'string' ? options.projectTitle : (doc.querySelector('.task-project-title')?.textContent?.trim() ?? '');
  const dollars = options?.monetaryReward?.amountInDollars;
  const currency = options?.monetaryReward?.currencyCode ?? 'USD';
  return {
    requester: key,
    requesterName: cutText(name, 200),
    // Reviews are per task group (what other workers can also pick), not per assignment.
    taskId: match[1]!,
    taskTitle: cutText(title, 300),
    reward: typeof dollars === 'number' && currency === 'USD' && dollars >= 0 ? { cents: Math.round(dollars * 100), currency: 'USD' } : null,
    accepted: match[2] !== undefined && url.searchParams.has('assignment_id'),
  };
}
