/**
 * Badge hosts: one `<lantern-badge>` element per requester spot, holding a Shadow DOM
 * that Preact renders into. The host carries `data-lantern-requester` and
 * `data-lantern-level` so tests and users' own style tweaks can find it.
 */
import { render } from 'preact';
import type { LookupResult } from '../core/messages.js';
import type { RequesterSpot } from '../platforms/types.js';
import { Badge } from './badge.js';
import { BADGE_CSS } from './badge-styles.js';

export const HOST_TAG = 'lantern-badge';

export interface BadgeHost {
  element: HTMLElement;
  root: ShadowRoot;
}

export function createBadgeHost(doc: Document): BadgeHost {
  const element = doc.createElement(HOST_TAG);
  const root = element.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = BADGE_CSS;
  root.append(style);
  const mount = doc.createElement('span');
  root.append(mount);
  return { element, root };
}

export function renderBadge(host: BadgeHost, spot: RequesterSpot, result: LookupResult): void {
  host.element.dataset.lanternRequester = spot.key;
  host.element.dataset.lanternLevel = result.assessment.level;
  render(<Badge name={spot.name} result={result} />, host.root.lastElementChild as Element);
}

export function isBadgeHost(node: Node): boolean {
  return node.nodeName.toLowerCase() === HOST_TAG;
}
