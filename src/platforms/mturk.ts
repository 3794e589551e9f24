/**
 * Mechanical Turk (worker.mturk.com) adapter.
 *
 * Tables (task lists, the queue, status details) carry their rows twice: as JSON in a
 * React mount's `data-react-props`, and as prerendered rows that React hydrates. The
 * rendered row's `/requesters/<ID>/` link is the truth for that row — after a
 * client-side sort the props attribute is stale, while the links move with their rows.
 * Props fill in when a row has no link. The worker's own id (top bar, dashboard) has the
 * same shape as a requester id, so ids are only ever taken from a requester link inside
 * a table row, a `requester_id` field or the task page's contact link — never from text.
 */
import { cutText } from '../core/text-cut.js';
import { isPlatformPage } from '../core/platforms.js';
import { requesterKey } from '../core/requester-key.js';
import { isTaskPage, taskPageContext, taskPageSpot } from './mturk-task-page.js';
import { mturkWork, mturkWorkOnSubmit } from './mturk-work.js';
import { readTableProps } from './mturk-props.js';
import { dollars } from './work.js';
import type { PlatformAdapter, Problem, RequesterSpot, ScanResult } from './types.js';

interface PropsRow {
  requester_id?: unknown;
  requester_name?: unknown;
  project?: { requester_id?: unknown; requester_name?: unknown };
}

/** The React tables that list requesters, and where each keeps the requester in its props. */
const TABLES = [
  { mount: '[data-react-class*="HitSetTable"]', page: 'task-list', props: (row: PropsRow) => row },
  { mount: '[data-react-class*="TaskQueueTable"]', page: 'queue', props: (row: PropsRow) => row.project ?? {} },
  { mount: '[data-react-class*="HitStatusDetailsTable"]', page: 'status-details', props: (row: PropsRow) => row },
] as const;

const ROW = 'li.table-row';
const REQUESTER_CELL = '.requester-column, .requester-name-column';
/** Any requester link in a row: the desktop cell, or the mobile layout's `.requester-name`. */
const REQUESTER_LINK = 'a[href*="/requesters/"]';
const REQUESTER_HREF = /\/requesters\/(A[0-9A-Z]{11,20})(?:\/|\?|#|$)/;

/** Pages that should show a table; finding none there means the page changed. */
function expectedPage(url: URL): string | null {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/projects' || /^\/requesters\/[^/]+\/projects$/.test(path)) return 'task-list';
  if (path === '/tasks') return 'queue';
  if (/^\/status_details\/\d{4}-\d{2}-\d{2}$/.test(path)) return 'status-details';
  if (path === '/dashboard') return 'dashboard';
  return null;
}


function requesterIdFromHref(href: string | null): string | null {
  return href?.match(REQUESTER_HREF)?.[1] ?? null;
}

/** Shown on screen (desktop and mobile rows are both in the DOM, one hidden by CSS). */
function isRendered(el: Element): boolean {
  // checkVisibility needs only styles, not a layout pass.
  return typeof el.checkVisibility === 'function' ? el.checkVisibility() : el.getClientRects().length > 0;
}

/**
 * Which copy of a row is shown, remembered by the classes on the way from the row to the
 * link ("desktop-row hidden-sm-down>…"). Asking the browser forces it to compute the
 * styles of every row just added, in the middle of the scan (a third of a scan's time
 * for 100 new rows); rows like those seen before are answered from here. Each decision
 * keeps the link it was made on, and `layoutChanged` asks again after the page has
 * drawn (styles ready, so asking is cheap): a page that switched layouts is rescanned.
 */
const shownByPath = new Map<string, { shown: boolean; sample: WeakRef<Element> }>();

function pathOf(link: Element, row: Element): string {
  let path = '';
  for (let el = link.parentElement; el && el !== row; el = el.parentElement) path += `${el.localName}.${el.className}>`;
  return path;
}

function isShownCopy(link: Element, row: Element): boolean {
  const path = pathOf(link, row);
  const known = shownByPath.get(path);
  if (known) return known.shown;
  const shown = isRendered(link);
  shownByPath.set(path, { shown, sample: new WeakRef(link) });
  return shown;
}

/** The requester link to badge in a row, and its id: the visible one (desktop or mobile layout). */
function pickLink(row: Element): { link: HTMLAnchorElement; id: string } | null {
  const links = row.querySelectorAll<HTMLAnchorElement>(REQUESTER_LINK);
  let first: { link: HTMLAnchorElement; id: string } | null = null;
  for (const link of links) {
    const id = requesterIdFromHref(link.getAttribute('href'));
    if (!id) continue;
    if (links.length === 1 || isShownCopy(link, row)) return { link, id };
    first ??= { link, id };
  }
  return first;
}

function scanTable(mount: Element, fromProps: (row: PropsRow) => PropsRow, problems: Set<Problem>): RequesterSpot[] {
  const props = readTableProps<PropsRow>(mount);
  if (!props) problems.add('props_unreadable');
  const namesById = new Map<string, string>();
  for (const row of props ?? []) {
    const { requester_id: id, requester_name: name } = fromProps(row);
    if (typeof id === 'string' && typeof name === 'string') namesById.set(id, name);
  }
  const rows = [...mount.querySelectorAll(ROW)].filter((row) => !row.parentElement?.closest(ROW));
  if (rows.length === 0) problems.add('no_rows');
  // Props index rows one to one only while the table is as the server rendered it.
  const propsMatchRows = props !== null && props.length === rows.length;

  const spots: RequesterSpot[] = [];
  rows.forEach((row, index) => {
    const picked = pickLink(row);
    const link = picked?.link ?? null;
    let id = picked?.id ?? null;
    let anchor: Element | null = link;
    if (!id && propsMatchRows) {
      const fromRow = fromProps(props[index]!).requester_id;
      id = typeof fromRow === 'string' ? fromRow : null;
      anchor = row.querySelector(REQUESTER_CELL);
    }
    const key = id ? requesterKey('mturk', id) : null;
    if (!key || !anchor || !id) {
      problems.add('row_without_requester');
      return;
    }
    const name = namesById.get(id) ?? link?.textContent?.trim() ?? id;
    // Requester cells are `.text-truncate`: a badge after a long name would be cut off.
    spots.push({ key, name, anchor, row, position: 'beforebegin' });
  });
  return spots;
}

export const mturkAdapter: PlatformAdapter = {
  platform: 'mturk',

  handles(url) {
    return isPlatformPage('mturk', url);
  },

  scan(doc, url): ScanResult {
    const problems = new Set<Problem>();
    if (isTaskPage(url)) {
      const spot = taskPageSpot(doc, url);
      if (!spot) problems.add('row_without_requester');
      return { page: 'task', spots: spot ? [spot] : [], problems: [...problems] };
    }
    const expected = expectedPage(url);
    const spots: RequesterSpot[] = [];
    let foundTable = false;
    for (const table of TABLES) {
      for (const mount of doc.querySelectorAll(table.mount)) {
        foundTable = true;
        spots.push(...scanTable(mount, table.props, problems));
      }
    }
    // A page that should hold a table but has none changed its layout (unless it is the
    // "too many requests" page, which is expected now and then).
    if (expected && expected !== 'dashboard' && !foundTable && !doc.querySelector('.error-page')) problems.add('no_rows');
    return { page: expected ?? 'other', spots, problems: [...problems] };
  },

  task: taskPageContext,

  work: mturkWork,

  workOnSubmit: mturkWorkOnSubmit,

  layoutChanged(resized) {
    let changed = false;
    for (const [path, known] of shownByPath) {
      const sample = known.sample.deref();
      if (resized || !sample?.isConnected || isRendered(sample) !== known.shown) {
        shownByPath.delete(path);
        changed ||= sample?.isConnected === true;
      }
    }
    return changed;
  },

  rowTask(row) {
    // The row's own project link is the truth for its group (props go stale after a sort).
    const link = row.querySelector('a[href*="/projects/"]');
    const groupId = /\/projects\/([A-Z0-9]{20,40})(?:\/|\?|$)/.exec(link?.getAttribute('href') ?? '')?.[1];
    if (!groupId) return null;
    const mount = row.closest(TABLES.map((table) => table.mount).join(','));
    const props = (mount && readTableProps<Record<string, unknown>>(mount)) || [];
    const project = props
      .map((p) => (p.project && typeof p.project === 'object' ? (p.project as Record<string, unknown>) : p))
      .find((p) => p.hit_set_id === groupId);
    const reward = project?.monetary_reward as { currency_code?: unknown; amount_in_dollars?: unknown } | undefined;
    const title = typeof project?.title === 'string' ? project.title : (row.querySelector('.project-name-column, .task-project-title')?.textContent ?? '');
    return { taskId: groupId, taskTitle: cutText(title.trim(), 300), reward: reward?.currency_code === 'USD' ? dollars(reward.amount_in_dollars) : null };
  },

  isAcceptControl(control) {
    if (control.matches('a[href*="/accept_random"], a[href*="/accept"]')) return true;
    return control.matches('button, input[type="submit"]') && control.closest('form[action*="accept"]') !== null;
  },
};
