/**
 * Shadow-DOM hosts for one feature, at most one per slot (a task row, usually). Hosts
 * stay put while their slot and position are unchanged, so a rescan after our own
 * insertion settles instead of looping; hosts whose slot disappeared are swept away.
 */
export interface ShadowHost {
  element: HTMLElement;
  /** Where the feature draws: the shadow root itself, or (styles as an element) a span after them. */
  mount: ShadowRoot | HTMLElement;
  /** What was last rendered, so an unchanged host isn't rendered again. */
  shown: unknown;
}

export type Placement = 'beforebegin' | 'afterend' | 'afterbegin' | 'beforeend';

/**
 * One constructed stylesheet shared by every host of a kind: hundreds of badges then
 * don't each parse their own <style>. Where the browser refuses (older Firefox content
 * scripts), each host falls back to a <style> element.
 */
function sharedSheet(css: string): CSSStyleSheet | null {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    return sheet;
  } catch {
    return null;
  }
}

export class HostSlots {
  private readonly bySlot = new WeakMap<Element, ShadowHost>();
  private live = new Set<HTMLElement>();
  private sheet: CSSStyleSheet | null | undefined;

  constructor(
    private readonly tag: string,
    private readonly css: string,
  ) {}

  /** Starts a pass: hosts not `ensure`d before `sweep` are removed. */
  begin(): void {
    this.live = new Set();
  }

  /**
   * The slot's host, created if needed — from `prototype` when given: a host of this tag,
   * drawn already, whose shadow root is clonable. One `cloneNode` then makes host, shadow
   * root and contents at once (a task list creates hundreds in one go); `shown` is what
   * the prototype shows.
   */
  ensure(slot: Element, anchor: Element, placement: Placement, prototype?: { element: HTMLElement; shown: unknown }): ShadowHost {
    let host = this.bySlot.get(slot);
    if (!host || !host.element.isConnected || !isPlaced(host.element, anchor, placement)) {
      host?.element.remove();
      host = (prototype && this.cloneOf(prototype)) || this.create(anchor.ownerDocument);
      anchor.insertAdjacentElement(placement, host.element);
      this.bySlot.set(slot, host);
    }
    this.live.add(host.element);
    return host;
  }

  sweep(doc: Document): void {
    for (const element of doc.querySelectorAll<HTMLElement>(this.tag)) if (!this.live.has(element)) element.remove();
  }

  clear(doc: Document): void {
    this.live = new Set();
    this.sweep(doc);
  }

  /** An empty host whose shadow root clones with it, for drawing a prototype into. */
  prototype(doc: Document): ShadowHost {
    return this.create(doc, true);
  }

  /** null where the browser doesn't clone shadow roots (then a host is made from scratch). */
  private cloneOf(prototype: { element: HTMLElement; shown: unknown }): ShadowHost | null {
    const element = prototype.element.cloneNode(true) as HTMLElement;
    const root = element.shadowRoot;
    if (!root) return null;
    // Adopted sheets are not cloned with the root; with a <style> fallback they are in it.
    if (this.sheet) root.adoptedStyleSheets = [this.sheet];
    const mount = this.sheet ? root : (root.lastElementChild as HTMLElement);
    return { element, mount, shown: prototype.shown };
  }

  private create(doc: Document, clonable = false): ShadowHost {
    const element = doc.createElement(this.tag);
    const root = element.attachShadow({ mode: 'open', clonable } as ShadowRootInit);
    if (this.sheet === undefined) this.sheet = sharedSheet(this.css);
    let adopted = false;
    if (this.sheet) {
      try {
        root.adoptedStyleSheets = [this.sheet];
        adopted = true;
      } catch {
        this.sheet = null; // refused once, refused always: <style> elements from now on
      }
    }
    if (adopted) return { element, mount: root, shown: undefined };
    const style = doc.createElement('style');
    style.textContent = this.css;
    const mount = doc.createElement('span');
    root.append(style, mount);
    return { element, mount, shown: undefined };
  }
}

function isPlaced(element: Element, anchor: Element, placement: Placement): boolean {
  switch (placement) {
    case 'beforebegin':
      return element.nextElementSibling === anchor;
    case 'afterend':
      return element.previousElementSibling === anchor;
    case 'afterbegin':
    case 'beforeend':
      return element.parentElement === anchor;
  }
}

export const FILTER_STYLE_ID = 'lantern-filter-style';

/** Our own elements (all named `lantern-…`): their coming and going is no reason to rescan. */
export function isOwnNode(node: Node): boolean {
  return node.nodeName.startsWith('LANTERN-') || (node instanceof Element && node.id === FILTER_STYLE_ID);
}
