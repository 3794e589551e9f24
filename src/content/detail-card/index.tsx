/**
 * The detail card: one `<lantern-card>` host on `document.body` with an open Shadow DOM,
 * positioned `fixed` beside the badge that opened it. One card at a time.
 *
 * Opened by a click (or Enter/Space on the badge) it is "pinned": focus moves to its
 * heading, Tab walks its buttons, Escape or the close button closes it and puts focus back
 * on the badge, a click outside closes it. Opened by hover or focus it is transient: it
 * closes ~250 ms after the pointer (and, for focus, the keyboard focus) left both badge and
 * card — unless the worker clicked into it, which pins it.
 */
import { render } from 'preact';
import { t } from '../../ui/i18n.js';
import type { CardActions, CardData } from './card-data.js';
import { Card, loadReviews, newView, type View } from './card.js';
import { placeCard } from './geometry.js';
import { CARD_CSS } from './styles.js';

type Via = 'click' | 'focus' | 'hover';

const CARD_TAG = 'lantern-card';
const LEAVE_DELAY_MS = 250;

interface OpenCard {
  anchor: HTMLElement;
  data: CardData;
  actions: CardActions;
  view: View;
  via: Via;
  pinned: boolean;
  overAnchor: boolean;
  overCard: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

let host: HTMLElement | null = null;
let dialog: HTMLElement | null = null;
let current: OpenCard | null = null;
/** Set while we move focus back to a badge, so the badge's focus handler doesn't reopen us. */
let refocusing = false;
let frame = 0;
/** Closes the card when its badge leaves the window or the page: scrolled away, hidden, re-rendered. */
let visibility: IntersectionObserver | null = null;

function ensureHost(doc: Document): { host: HTMLElement; dialog: HTMLElement } {
  if (!host || !dialog) {
    host = doc.createElement(CARD_TAG);
    // Inline and !important: the page's own CSS must not move or hide the card.
    host.style.cssText = 'position:fixed!important;z-index:2147483647!important;top:0;left:0;display:none!important;margin:0!important';
    const root = host.attachShadow({ mode: 'open' });
    const style = doc.createElement('style');
    style.textContent = CARD_CSS;
    dialog = doc.createElement('div');
    dialog.className = 'card';
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'false');
    root.append(style, dialog);
    host.addEventListener('pointerenter', () => setOver('overCard', true));
    host.addEventListener('pointerleave', () => setOver('overCard', false));
    host.addEventListener('pointerdown', () => {
      if (current) current.pinned = true;
    });
    host.addEventListener('focusout', onFocusOut);
    host.addEventListener('keydown', onCardKeyDown);
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(schedulePlace).observe(dialog);
  }
  if (!host.isConnected) (doc.body ?? doc.documentElement).append(host);
  return { host, dialog };
}

export function openDetailCard(anchor: HTMLElement, data: CardData, actions: CardActions, via: Via): void {
  if (via === 'focus' && refocusing) return;
  if (current && current.anchor !== anchor) closeDetailCard();
  const parts = ensureHost(anchor.ownerDocument);
  let open = current;
  if (!open) {
    open = current = { anchor, data, actions, view: newView(data), via, pinned: false, overAnchor: via === 'hover' || matches(anchor, ':hover'), overCard: false, timer: undefined };
    listen(anchor, true);
    const mine = open;
    if (open.view.reviews) loadReviews(actions, (patch) => update(mine, patch));
  } else {
    clearTimeout(open.timer);
    Object.assign(open, { data, actions });
    if (!open.pinned) open.via = via;
  }
  if (via === 'click') open.pinned = true;
  parts.dialog.setAttribute('aria-label', t('cardDialogLabel', data.name));
  parts.host.dataset.lanternRequester = data.key;
  parts.host.style.setProperty('display', 'block', 'important');
  paint();
  if (via === 'click') parts.dialog.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
}

function update(open: OpenCard, patch: Partial<View>): void {
  if (open !== current) return;
  Object.assign(open.view, patch);
  paint();
}

function paint(): void {
  const open = current;
  if (!open || !dialog) return;
  render(<Card data={open.data} actions={open.actions} view={open.view} update={(patch) => update(open, patch)} onClose={() => close(true)} />, dialog);
  place();
}

function closeDetailCard(): void {
  close(false);
}

function close(returnFocus: boolean): void {
  const open = current;
  if (!open) return;
  clearTimeout(open.timer);
  current = null;
  listen(open.anchor, false);
  if (dialog) render(null, dialog);
  host?.style.setProperty('display', 'none', 'important');
  if (returnFocus) focusBadge(open.anchor);
}

function listen(anchor: HTMLElement, on: boolean): void {
  const method = on ? 'addEventListener' : 'removeEventListener';
  anchor[method]('pointerenter', onAnchorEnter);
  anchor[method]('pointerleave', onAnchorLeave);
  anchor[method]('focusout', onFocusOut as EventListener);
  const doc = anchor.ownerDocument;
  doc[method]('pointerdown', onOutsidePointer as EventListener, true);
  doc[method]('keydown', onEscape as EventListener, true);
  const win = doc.defaultView;
  win?.[method]('scroll', schedulePlace, true);
  win?.[method]('resize', schedulePlace);
  visibility?.disconnect();
  visibility = null;
  if (on && typeof IntersectionObserver !== 'undefined') {
    visibility = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.target === current?.anchor && !e.isIntersecting)) close(false);
    });
    visibility.observe(anchor);
  }
}

function focusBadge(anchor: HTMLElement): void {
  const target = anchor.shadowRoot?.querySelector<HTMLElement>('button, [tabindex]') ?? anchor;
  refocusing = true;
  try {
    target.focus({ preventScroll: true });
  } finally {
    refocusing = false;
  }
}

function matches(el: Element, selector: string): boolean {
  try {
    return el.matches(selector);
  } catch {
    return false;
  }
}

const isInside = (node: Node | null): boolean =>
  !!node && !!current && (node === host || node === current.anchor || !!host?.contains(node) || current.anchor.contains(node));
const focusInCard = (): boolean => !!host?.shadowRoot?.activeElement;

// ---------------------------------------------------------------- leaving (transient cards)

const onAnchorEnter = () => setOver('overAnchor', true);
const onAnchorLeave = () => setOver('overAnchor', false);

function setOver(which: 'overAnchor' | 'overCard', over: boolean): void {
  if (!current) return;
  current[which] = over;
  if (over) clearTimeout(current.timer);
  else scheduleLeave();
}

function scheduleLeave(): void {
  if (!current || current.pinned) return;
  clearTimeout(current.timer);
  current.timer = setTimeout(() => {
    const open = current;
    if (!open || open.pinned || open.overAnchor || open.overCard || focusInCard()) return;
    if (open.via === 'focus' && matches(open.anchor, ':focus-within')) return;
    close(false);
  }, LEAVE_DELAY_MS);
}

function onFocusOut(event: FocusEvent): void {
  if (!current) return;
  const next = event.relatedTarget as Node | null;
  if (isInside(next)) return;
  // A pinned card stays open when focus merely drops (a click on the card's text);
  // it closes when focus moves on to something else on the page.
  if (current.pinned) {
    if (next) close(false);
  } else {
    scheduleLeave();
  }
}

function onOutsidePointer(event: PointerEvent): void {
  if (!current || !host) return;
  const path = event.composedPath();
  if (!path.includes(host) && !path.includes(current.anchor)) close(false);
}

function onEscape(event: KeyboardEvent): void {
  if (event.key !== 'Escape' || !current) return;
  const inCard = focusInCard();
  close(inCard);
  if (inCard) event.stopPropagation();
}

/** Tab past either end of the card goes back to its badge, not to the end of the page. */
function onCardKeyDown(event: KeyboardEvent): void {
  if (event.key !== 'Tab' || !current || !host?.shadowRoot) return;
  const items = [...host.shadowRoot.querySelectorAll<HTMLElement>('button:not([disabled])')];
  const active = host.shadowRoot.activeElement;
  const atStart = !active || active === items[0] || active.tagName === 'H2';
  const atEnd = active === items[items.length - 1];
  if (event.shiftKey ? atStart : atEnd) {
    event.preventDefault();
    focusBadge(current.anchor);
  }
}

// ---------------------------------------------------------------- position

function schedulePlace(): void {
  if (current && !frame) frame = requestAnimationFrame(place);
}

function place(): void {
  frame = 0;
  const open = current;
  if (!open || !host || !dialog) return;
  const doc = open.anchor.ownerDocument;
  const win = doc.defaultView ?? window;
  const viewport = {
    width: Math.min(win.innerWidth, doc.documentElement.clientWidth || win.innerWidth),
    height: Math.min(win.innerHeight, doc.documentElement.clientHeight || win.innerHeight),
  };
  const anchor = open.anchor.getBoundingClientRect();
  const gone = !open.anchor.isConnected || anchor.bottom < 0 || anchor.top > viewport.height || (anchor.width === 0 && anchor.height === 0);
  if (gone) {
    close(false);
    return;
  }
  // Its full height, even while limited (then it scrolls inside).
  const size = { width: dialog.offsetWidth, height: dialog.scrollHeight + dialog.offsetHeight - dialog.clientHeight };
  const at = placeCard(anchor, size, viewport);
  dialog.style.maxHeight = `${at.maxHeight}px`;
  host.style.setProperty('top', `${at.top}px`, 'important');
  host.style.setProperty('left', `${at.left}px`, 'important');
  host.dataset.side = at.side;
}
