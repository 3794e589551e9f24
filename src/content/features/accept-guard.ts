/**
 * For a requester linked to account suspensions (or phishing), the first click on Accept
 * is stopped and the worker is told why, beside the button; a second click accepts.
 */
import type { RequesterSpot } from '../../platforms/types.js';
import { describeReason } from '../../ui/reasons.js';
import { t } from '../../ui/i18n.js';
import type { ContentFeature, ScanContext } from './types.js';

const WARNING_TAG = 'lantern-accept-warning';
const CONTROL = 'a, button, input[type="submit"]';

interface Danger {
  spot: RequesterSpot;
  why: string;
}

export function acceptGuard(): ContentFeature {
  let context: ScanContext | null = null;
  let dangers: Danger[] = [];
  const warned = new WeakSet<Element>();
  let listening = false;

  function dangerFor(control: Element): Danger | null {
    if (!context) return null;
    // On a task page (MTurk) or a study page (Prolific) every accept control is about its
    // one task; on lists, about its row.
    if (context.page === 'task' || context.page === 'study') return dangers[0] ?? null;
    return dangers.find((d) => d.spot.row.contains(control)) ?? null;
  }

  function warn(control: Element, danger: Danger): void {
    const doc = control.ownerDocument;
    let warning = control.nextElementSibling?.nodeName === WARNING_TAG.toUpperCase() ? (control.nextElementSibling as HTMLElement) : null;
    if (!warning) {
      warning = doc.createElement(WARNING_TAG);
      const root = warning.attachShadow({ mode: 'open' });
      const style = doc.createElement('style');
      style.textContent = `:host{all:initial;display:block;margin:6px 0;font:13px/1.4 system-ui,sans-serif}
        p{margin:0;padding:8px 10px;background:#7f1d1d;color:#fff;border-radius:4px;max-width:36em}`;
      const text = doc.createElement('p');
      text.setAttribute('role', 'alert');
      // Prolific's control says "Start now", not "Accept": name the button the worker sees.
      const label = (control.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      text.textContent = label && !/^accept$/i.test(label) ? t('formAcceptGuardNamed', [danger.spot.name, danger.why, label]) : t('acceptGuard', [danger.spot.name, danger.why]);
      root.append(style, text);
      control.insertAdjacentElement('afterend', warning);
    }
    warning.dataset.lanternRequester = danger.spot.key;
  }

  function onClick(event: MouseEvent): void {
    const control = (event.target as Element | null)?.closest?.(CONTROL);
    if (!control || !context?.adapter.isAcceptControl?.(control)) return;
    const danger = dangerFor(control);
    if (!danger || warned.has(control)) return; // no danger, or the worker already saw why
    event.preventDefault();
    event.stopImmediatePropagation();
    warned.add(control);
    warn(control, danger);
  }

  return {
    name: 'accept-guard',

    apply(ctx) {
      context = ctx;
      dangers = ctx.spots.flatMap((spot) => {
        const result = ctx.results.get(spot.key);
        if (result?.assessment.level !== 'danger') return [];
        return [{ spot, why: result.assessment.reasons.filter((r) => r.code === 'suspensions' || r.code === 'phishing').map(describeReason).join(' ') }];
      });
      if (!listening && ctx.adapter.isAcceptControl) {
        // Capture phase: before the page's own handlers and before the form submits.
        ctx.doc.addEventListener('click', onClick, true);
        listening = true;
      }
    },

    clear(doc) {
      doc.removeEventListener('click', onClick, true);
      listening = false;
      dangers = [];
      for (const warning of doc.querySelectorAll(WARNING_TAG)) warning.remove();
    },
  };
}
