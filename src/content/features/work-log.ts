/**
 * Tells the background what this page shows of the worker's own work (task previewed or
 * accepted, queue rows, status rows), for the work log kept only in this browser.
 *
 * Off the critical path: `apply` runs in the task that draws the badges, so it only asks
 * for an idle moment; the page's main thread then pays the reading alone (the adapter's
 * `work`, a few props rows), and the answer is never awaited. Each observation is sent once
 * per tab: React re-renders and rescans find the same rows again and send nothing.
 *
 * Submitting or returning a task (the adapter's `workOnSubmit`) is noted as the form goes,
 * unless something on the page cancelled the submission.
 */
import type { WorkObservation } from '../../core/work-log.js';
import type { ContentFeature, ScanContext } from './types.js';

type Idle = (callback: () => void, options: { timeout: number }) => unknown;

/** What makes an observation new: the same sighting again is not (its time is "now" each time). */
function sightingKey(o: WorkObservation): string {
  return [o.event, o.requester, o.taskId, o.assignmentId, o.outcome, o.at, o.taskTitle, o.requesterName, o.reward?.cents].join('\u0001');
}

export function workLogFeature(): ContentFeature {
  const sent = new Set<string>();
  let pending: ScanContext | null = null;
  let latest: ScanContext | null = null;
  let watchingSubmits = false;

  function onSubmit(event: Event): void {
    const ctx = latest;
    const form = event.target;
    if (!ctx?.adapter.workOnSubmit || !ctx.actions.recordWork || !(form instanceof HTMLFormElement)) return;
    let observed: WorkObservation | null = null;
    try {
      observed = ctx.adapter.workOnSubmit(form, ctx.doc, new URL(ctx.doc.location.href));
    } catch {
      return;
    }
    if (!observed) return;
    const seen = observed;
    // Decided once every listener had its say: a cancelled Submit or Return did not happen.
    setTimeout(() => {
      if (!event.defaultPrevented) void ctx.actions.recordWork?.([seen]).catch(() => undefined);
    }, 0);
  }

  function flush(): void {
    const ctx = pending;
    pending = null;
    if (!ctx?.adapter.work || !ctx.actions.recordWork) return;
    let seen: WorkObservation[];
    try {
      seen = ctx.adapter.work(ctx.doc, new URL(ctx.doc.location.href));
    } catch {
      return; // an adapter failure must never reach the host page; badges report problems
    }
    const fresh = seen.filter((o) => !sent.has(sightingKey(o)));
    if (fresh.length === 0) return;
    const keys = fresh.slice(0, 1000).map(sightingKey);
    for (const key of keys) sent.add(key);
    // Not recorded (background asleep and failing, a schema refusal): try again next scan.
    ctx.actions.recordWork(fresh.slice(0, 1000)).catch(() => {
      for (const key of keys) sent.delete(key);
    });
  }

  return {
    name: 'work-log',
    apply(ctx) {
      latest = ctx;
      const view = ctx.doc.defaultView;
      if (ctx.adapter.workOnSubmit && view && !watchingSubmits) {
        watchingSubmits = true;
        view.addEventListener('submit', onSubmit, true);
      }
      if (!ctx.adapter.work) return;
      const first = pending === null;
      pending = ctx;
      if (!first) return;
      const idle = (view as unknown as { requestIdleCallback?: Idle } | null)?.requestIdleCallback;
      if (idle) idle.call(view, flush, { timeout: 2000 });
      else setTimeout(flush, 0);
    },
    clear(doc) {
      pending = null;
      latest = null;
      watchingSubmits = false;
      doc.defaultView?.removeEventListener('submit', onSubmit, true);
    },
  };
}
