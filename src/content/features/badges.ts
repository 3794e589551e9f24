/** One badge beside every requester spot; it opens the detail card. */
import type { BadgeBrief } from '../../core/badge-brief.js';
import { badgeShell, renderBadge } from '../badge.js';
import { BADGE_CSS } from '../badge-styles.js';
import { detailCard } from '../card-loader.js';
import { HostSlots } from './host-slots.js';
import type { LookupResult } from '../../core/messages.js';
import type { RequesterKey } from '../../core/requester-key.js';
import type { Level } from '../../core/schemas.js';
import type { ContentActions, ContentFeature } from './types.js';

const TAG = 'lantern-badge';
const slots = new HostSlots(TAG, BADGE_CSS);

interface Shown {
  /** The host's data-lantern-level and data-lantern-details, as set. */
  level: Level;
  full: boolean;
  /** Null on a prototype: no requester, no words yet. */
  key: RequesterKey | null;
  brief: BadgeBrief | null;
  result: LookupResult | undefined;
  name: string;
  actions: ContentActions | null;
  /** The row the badge sits in, so a card's form can be prefilled from that row's task. */
  row?: Element;
}

/**
 * One drawn, requester-less host per level, cloned (shadow root and all) for each new
 * badge: a list of a thousand rows then costs a clone and a few words per badge.
 */
const prototypes = new WeakMap<Document, Map<Level, { element: HTMLElement; shown: Shown }>>();

function prototypeOf(doc: Document, level: Level): { element: HTMLElement; shown: Shown } {
  let byLevel = prototypes.get(doc);
  if (!byLevel) prototypes.set(doc, (byLevel = new Map()));
  let prototype = byLevel.get(level);
  if (!prototype) {
    const host = slots.prototype(doc);
    host.element.setAttribute('data-lantern-level', level);
    host.element.setAttribute('data-lantern-details', 'brief');
    host.mount.append(badgeShell(doc, level));
    prototype = { element: host.element, shown: { level, full: false, key: null, brief: null, result: undefined, name: '', actions: null } };
    byLevel.set(level, prototype);
  }
  return prototype;
}
/** What each badge host shows now: its events read it here, so re-rendering adds no listeners. */
const shownOn = new WeakMap<Element, Shown>();
const listening = new WeakSet<Document>();

function open(host: HTMLElement, via: 'click' | 'focus' | 'hover'): void {
  const shown = shownOn.get(host);
  if (!shown?.result || !shown.key || !shown.actions) return; // nothing to show until the full answer is in
  const { key, name, actions, row } = shown;
  detailCard(actions.loadCard).then(
    (card) => {
      // Loading took a moment the first time: open only if the worker is still there.
      if (via === 'hover' && !host.matches(':hover')) return;
      if (via === 'focus' && host.ownerDocument.activeElement !== host) return;
      const latest = shownOn.get(host)?.result ?? shown.result!;
      card.openDetailCard(
        host,
        { key, name, result: latest },
        {
          loadReviews: () => actions.loadReviews(key),
          openForm: (form, review) => actions.openForm(form, key, { name, row, ...(review ? { review } : {}) }),
          block: () => actions.block(key, name),
          unblock: () => (actions.unblock ? actions.unblock(key) : Promise.resolve()),
        },
        via,
      );
    },
    (error: unknown) => console.debug('Lantern: the detail card could not be loaded', error),
  );
}

/**
 * One set of listeners for every badge on the page (hundreds of badges would otherwise
 * add three each). At the window, in the capture phase, an event from inside a badge's
 * shadow root has the badge's host as its target; clicks on badges go no further.
 */
function listen(doc: Document): void {
  const view = doc.defaultView;
  if (listening.has(doc) || !view) return;
  listening.add(doc);
  const badgeOf = (target: EventTarget | null) => (target instanceof HTMLElement && target.localName === TAG ? target : null);
  view.addEventListener(
    'click',
    (event) => {
      const host = badgeOf(event.target);
      if (!host) return;
      event.preventDefault();
      event.stopPropagation();
      open(host, 'click');
    },
    true,
  );
  view.addEventListener(
    'mouseover',
    (event) => {
      const host = badgeOf(event.target);
      // Moving between the badge's own parts is not entering it.
      if (host && event.relatedTarget !== host) open(host, 'hover');
    },
    true,
  );
  view.addEventListener(
    'focusin',
    (event) => {
      const host = badgeOf(event.target);
      if (host) open(host, 'focus');
    },
    true,
  );
}

export const badges: ContentFeature = {
  name: 'badges',

  apply({ doc, spots, results, briefs, actions }) {
    slots.begin();
    listen(doc);
    for (const spot of spots) {
      const brief = briefs.get(spot.key);
      const host = slots.ensure(spot.row, spot.anchor, spot.position, brief && prototypeOf(doc, brief.level));
      if (!brief) continue;
      const result = results.get(spot.key);
      // Briefs and results are replaced, never changed in place: identity says whether to render again.
      const shown = host.shown as Shown | undefined;
      if (shown?.brief === brief && shown.result === result && shown.name === spot.name && shown.key === spot.key) continue;
      const next: Shown = { level: brief.level, full: result !== undefined, brief, result, name: spot.name, key: spot.key, actions, row: spot.row };
      host.shown = next;
      shownOn.set(host.element, next);
      const element = host.element;
      if (shown?.key !== spot.key) element.setAttribute('data-lantern-requester', spot.key);
      if (shown?.level !== next.level) element.setAttribute('data-lantern-level', next.level);
      if (shown?.full !== next.full) element.setAttribute('data-lantern-details', next.full ? 'full' : 'brief');
      renderBadge(host.mount, { requester: spot.key, name: spot.name, brief, result });
    }
    slots.sweep(doc);
  },

  clear(doc) {
    slots.clear(doc);
  },
};
