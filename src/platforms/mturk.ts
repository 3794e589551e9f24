/**
 * Mechanical Turk (worker.mturk.com) adapter.
 *
 * Task lists (home, search, one requester's tasks) carry their rows twice: as JSON in
 * the HitSetTable mount's `data-react-props`, and as prerendered rows that React
 * hydrates. The rendered row's `/requesters/<ID>/` link is the truth for that row —
 * after a client-side sort the props attribute is stale, while the links move with
 * their rows. Props fill in when a row has no link. The worker's own id (top bar)
 * has the same shape as a requester id, so ids are only ever taken from a requester
 * link inside a task row or a `requester_id` field, never from page text.
 */
import { requesterKey } from '../core/requester-key.js';
import { isTaskPage, taskPageContext, taskPageSpot } from './mturk-task-page.js';
import type { PlatformAdapter, Problem, RequesterSpot, ScanResult } from './types.js';

const HIT_SET_TABLE = '[data-react-class*="HitSetTable"]';
const ROW = '.hit-set-table-row, li.table-row';
const REQUESTER_LINK = '.requester-column a[href*="/requesters/"], .requester-name-column a[href*="/requesters/"]';
const REQUESTER_HREF = /\/requesters\/(A[0-9A-Z]{11,20})(?:\/|\?|#|$)/;

interface PropsRow {
  requester_id?: unknown;
  requester_name?: unknown;
}

/** The HitSetTable rows from the mount's props, or null when they can't be read. */
export function readHitSetProps(mount: Element): PropsRow[] | null {
  const raw = mount.getAttribute('data-react-props');
  if (!raw) return null;
  try {
    const props: unknown = JSON.parse(raw);
    const rows = (props as { bodyData?: unknown } | null)?.bodyData;
    return Array.isArray(rows) ? (rows as PropsRow[]) : null;
  } catch {
    return null;
  }
}

function requesterIdFromHref(href: string | null): string | null {
  return href?.match(REQUESTER_HREF)?.[1] ?? null;
}

function isRendered(el: Element): boolean {
  return el.getClientRects().length > 0;
}

/** The requester link to badge in a row: the visible one (desktop or mobile layout). */
function pickLink(row: Element): HTMLAnchorElement | null {
  const links = [...row.querySelectorAll<HTMLAnchorElement>(REQUESTER_LINK)].filter((a) =>
    requesterIdFromHref(a.getAttribute('href')),
  );
  return links.find(isRendered) ?? links[0] ?? null;
}

function scanTaskTable(mount: Element, problems: Set<Problem>): RequesterSpot[] {
  const props = readHitSetProps(mount);
  if (!props) problems.add('props_unreadable');
  const namesById = new Map<string, string>();
  for (const row of props ?? []) {
    if (typeof row.requester_id === 'string' && typeof row.requester_name === 'string') {
      namesById.set(row.requester_id, row.requester_name);
    }
  }
  const rows = [...mount.querySelectorAll(ROW)].filter((row) => !row.parentElement?.closest(ROW));
  if (rows.length === 0) problems.add('no_rows');
  // Props index rows one to one only while the table is as the server rendered it.
  const propsMatchRows = props !== null && props.length === rows.length;

  const spots: RequesterSpot[] = [];
  rows.forEach((row, index) => {
    const link = pickLink(row);
    let id = link ? requesterIdFromHref(link.getAttribute('href')) : null;
    let anchor: Element | null = link;
    if (!id && propsMatchRows) {
      const fromProps = props[index]?.requester_id;
      id = typeof fromProps === 'string' ? fromProps : null;
      anchor = row.querySelector('.requester-column, .requester-name-column');
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
    return url.hostname === 'worker.mturk.com';
  },

  scan(doc, url): ScanResult {
    const problems = new Set<Problem>();
    const spots: RequesterSpot[] = [];
    const isTaskList = url.pathname === '/' || url.pathname === '/projects' || /^\/requesters\/[^/]+\/projects\/?$/.test(url.pathname);
    for (const mount of doc.querySelectorAll(HIT_SET_TABLE)) spots.push(...scanTaskTable(mount, problems));
    if (isTaskPage(url)) {
      const spot = taskPageSpot(doc, url);
      if (spot) spots.push(spot);
      else problems.add('row_without_requester');
      return { page: 'task', spots, problems: [...problems] };
    }
    if (isTaskList && spots.length === 0 && problems.size === 0 && !doc.querySelector(HIT_SET_TABLE)) {
      // A task-list URL without the table: the page changed (or it is the rate-limit page).
      if (!doc.querySelector('.error-page')) problems.add('no_rows');
    }
    return { page: isTaskList ? 'task-list' : 'other', spots, problems: [...problems] };
  },

  task: taskPageContext,
};
