/**
 * Hides or dims tasks from requesters the worker blocked or that fall under their own
 * thresholds (pay, rating), says how many, and offers to show them. Danger requesters
 * are never hidden: a warning must be seen.
 */
import { filterReason } from '../../core/badge-brief.js';
import { t, tPlural } from '../../ui/i18n.js';
import { FILTER_STYLE_ID } from './host-slots.js';
import type { ContentFeature } from './types.js';

const ATTRIBUTE = 'data-lantern-filtered';
const NOTICE_TAG = 'lantern-notice';
let showAll = false;

function ensureStyle(doc: Document): void {
  if (doc.getElementById(FILTER_STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = FILTER_STYLE_ID;
  // Dimmed rows lose their colour, not their contrast: they must stay readable.
  style.textContent = `[${ATTRIBUTE}="hide"]{display:none!important}[${ATTRIBUTE}="dim"]{filter:grayscale(1);background:#f1f1f1!important}`;
  (doc.head ?? doc.documentElement).append(style);
}

function renderNotice(notice: HTMLElement, count: number, mode: 'hide' | 'dim', rescan: () => void): void {
  const root = notice.shadowRoot ?? notice.attachShadow({ mode: 'open' });
  root.replaceChildren();
  const style = notice.ownerDocument.createElement('style');
  style.textContent = `:host{all:initial;display:block;margin:6px 0;font:13px/1.4 system-ui,sans-serif}
    p{margin:0;padding:6px 10px;background:#eef2ff;color:#1e1b4b;border-radius:4px}
    button{font:inherit;margin-left:8px;color:#1e40af;background:none;border:none;text-decoration:underline;cursor:pointer;padding:0}
    button:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}`;
  const text = notice.ownerDocument.createElement('p');
  text.setAttribute('role', 'status');
  const key = showAll ? 'pluralFilterShowing' : mode === 'hide' ? 'pluralFilterHidden' : 'pluralFilterDimmed';
  text.append(tPlural(key, count));
  const toggle = notice.ownerDocument.createElement('button');
  toggle.type = 'button';
  toggle.textContent = showAll ? t('filterApply') : t('filterShow');
  toggle.addEventListener('click', () => {
    showAll = !showAll;
    rescan();
  });
  text.append(toggle);
  root.append(style, text);
}

export function filtersFeature(rescan: () => void): ContentFeature {
  /** Rows this feature marked: cleared from here, not by searching the whole page each scan. */
  let marked = new Set<Element>();
  return {
    name: 'filters',

    apply({ doc, spots, briefs, filterMode }) {
      const filtered = new Set<Element>();
      if (filterMode !== 'off') {
        for (const spot of spots) {
          const brief = briefs.get(spot.key);
          if (brief && filterReason(brief)) filtered.add(spot.row);
        }
      }
      for (const row of marked) if (!filtered.has(row)) row.removeAttribute(ATTRIBUTE);
      marked = filtered;
      const mode = filterMode === 'off' ? null : filterMode;
      if (mode && filtered.size > 0) ensureStyle(doc);
      for (const row of filtered) {
        const value = showAll ? 'shown' : mode!;
        if (row.getAttribute(ATTRIBUTE) !== value) row.setAttribute(ATTRIBUTE, value);
      }
      // One notice, before the list that holds the first filtered row.
      const first = [...filtered][0];
      const list = first?.parentElement;
      let notice = doc.querySelector<HTMLElement>(NOTICE_TAG);
      if (!mode || !list) {
        notice?.remove();
        return;
      }
      if (!notice || notice.nextElementSibling !== list) {
        notice?.remove();
        notice = doc.createElement(NOTICE_TAG);
        list.insertAdjacentElement('beforebegin', notice);
      }
      const state = `${filtered.size}:${mode}:${showAll}`;
      if (notice.dataset.state !== state) {
        notice.dataset.state = state;
        notice.dataset.lanternHiddenCount = String(filtered.size);
        renderNotice(notice, filtered.size, mode, rescan);
      }
    },

    clear(doc) {
      for (const row of doc.querySelectorAll(`[${ATTRIBUTE}]`)) row.removeAttribute(ATTRIBUTE);
      marked = new Set();
      doc.querySelector(NOTICE_TAG)?.remove();
      doc.getElementById(FILTER_STYLE_ID)?.remove();
    },
  };
}
