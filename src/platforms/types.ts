/**
 * A platform adapter finds requesters on one platform's pages. It reads the page and
 * nothing else: no network, no storage, no rendering. Adding a platform is one entry in
 * core/platforms.ts, one new adapter file plus its fixtures, registered in ./index.ts
 * (README "Adding a platform").
 */
import type { DIAGNOSTIC_PROBLEMS } from '../core/messages.js';
import type { Platform } from '../core/requester-key.js';
import type { RequesterKey } from '../core/requester-key.js';
import type { WorkObservation } from '../core/work-log.js';

/** One place on the page where a requester is shown and a badge belongs. */
export interface RequesterSpot {
  key: RequesterKey;
  name: string;
  /** The badge goes beside this element, on the side `position` says. */
  anchor: Element;
  /**
   * Before the name where its cell truncates overflowing text (the badge must never be
   * the part cut off); after it where there is room; inside it at its end where the name
   * is a block of its own (so the badge stays on the name's line).
   */
  position: 'beforebegin' | 'afterend' | 'beforeend';
  /** The task row (or card) the spot belongs to: one badge per row, filters act on it. */
  row: Element;
}

export type Problem = (typeof DIAGNOSTIC_PROBLEMS)[number];

export interface ScanResult {
  /** A short page-type name for diagnostics, e.g. "task-list". */
  page: string;
  spots: RequesterSpot[];
  problems: Problem[];
}

/** The task a task page shows, for prefilling a review and the recent-task list. */
export interface TaskContext {
  requester: RequesterKey;
  requesterName: string;
  taskId: string;
  taskTitle: string;
  /** Minor units; null when the page doesn't say. */
  reward: { cents: number; currency: 'USD' | 'GBP' | 'EUR' } | null;
  /** Whether the page shows the task accepted by this worker (working on it now). */
  accepted: boolean;
}

export interface PlatformAdapter {
  platform: Platform;
  /** Whether this adapter handles the page at `url` at all. */
  handles(url: URL): boolean;
  /** Finds every requester spot. Must not throw and must not change the page. */
  scan(doc: Document, url: URL): ScanResult;
  /** The task on a task page; null elsewhere. Must not throw. */
  task(doc: Document, url: URL): TaskContext | null;
  /**
   * After the page drew a scan's result (or was resized): forget layout decisions that no
   * longer hold. True when one changed, so the page needs a rescan.
   */
  layoutChanged?(resized: boolean): boolean;
  /**
   * The task a list row shows (its id, title and reward), read when the worker asks to
   * review, report or flag from that row's card, so the form opens prefilled. Must not throw.
   */
  rowTask?(row: Element): Pick<TaskContext, 'taskId' | 'taskTitle' | 'reward'> | null;
  /** Whether clicking `control` accepts a task (for the danger double-check). */
  isAcceptControl?(control: Element): boolean;
  /**
   * What the page shows of the worker's own work (task previewed or accepted, queue rows,
   * status rows with their outcome), for the browser-only work log. Pure page reading, cheap
   * on pages that show none (an empty list); never the worker's own id. Must not throw.
   */
  work?(doc: Document, url: URL): WorkObservation[];
  /**
   * The worker is submitting `form`: when it submits or returns their task (a task page's
   * Submit or Return), what to note in the work log; else null. Must not throw.
   */
  workOnSubmit?(form: HTMLFormElement, doc: Document, url: URL): WorkObservation | null;
}
