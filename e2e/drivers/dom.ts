/**
 * Functions run inside a page through `DriverPage.evaluate`. Each is self-contained (it is
 * sent as source), and looks through open shadow roots, where Lantern's badges, cards and
 * notices draw. A selector may name a host and then an element in its shadow root:
 * `lantern-badge[data-lantern-requester="mturk:X"] >>> button`.
 */

/** Centre of the first element matching `selector` (through shadow roots), scrolled into view; null if none. */
export function centreOf(selector: string): { x: number; y: number } | null {
  const find = (root: Document | ShadowRoot | Element, part: string): Element | null => {
    const direct = root.querySelector(part);
    if (direct) return direct;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) {
        const inner = find(el.shadowRoot, part);
        if (inner) return inner;
      }
    }
    return null;
  };
  let el: Element | null = null;
  for (const part of selector.split('>>>')) {
    el = find(el ? (el.shadowRoot ?? el) : document, part.trim());
    if (!el) return null;
  }
  if (!el) return null;
  el.scrollIntoView({ block: 'center', inline: 'center' });
  const box = el.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) return null;
  return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
}

/** Focuses the first element matching `selector` (through shadow roots); false if none. */
export function focusOn(selector: string): boolean {
  const find = (root: Document | ShadowRoot | Element, part: string): HTMLElement | null => {
    const direct = root.querySelector<HTMLElement>(part);
    if (direct) return direct;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) {
        const inner = find(el.shadowRoot, part);
        if (inner) return inner;
      }
    }
    return null;
  };
  let el: HTMLElement | null = null;
  for (const part of selector.split('>>>')) {
    el = find(el ? (el.shadowRoot ?? el) : document, part.trim());
    if (!el) return false;
  }
  el?.focus();
  return el !== null;
}
