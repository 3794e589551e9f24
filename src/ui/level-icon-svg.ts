/**
 * The icon for each warning level as SVG: its path data (the Preact `LevelIcon` draws it
 * too) and a plain-DOM builder for the content script, which draws badges and banners
 * without Preact.
 */
import type { Level } from '../core/assessment.js';

export const LEVEL_ICON_PATHS: Record<Level, string> = {
  unknown: 'M8 1.5l1.9 4.1 4.4.5-3.3 3 .9 4.4L8 11.3l-3.9 2.2.9-4.4-3.3-3 4.4-.5z',
  ok: 'M2.5 8.5l3.5 3.5 7.5-8',
  caution: 'M8 1.5L15 14H1zM8 6v4M8 11.5v1',
  danger: 'M5 1h6l4 4v6l-4 4H5l-4-4V5zM8 4.5v5M8 11v1.5',
};

const SVG = 'http://www.w3.org/2000/svg';

function setAll(element: Element, attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
}

/** `<svg class="icon" …><path d="…"/></svg>`, hidden from screen readers (the words say the level). */
export function levelIconSvg(doc: Document, level: Level, size: number): SVGSVGElement {
  const svg = doc.createElementNS(SVG, 'svg');
  setAll(svg, { class: 'icon', viewBox: '0 0 16 16', width: String(size), height: String(size), 'aria-hidden': 'true', focusable: 'false' });
  const path = doc.createElementNS(SVG, 'path');
  setAll(path, { d: LEVEL_ICON_PATHS[level], fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linejoin': 'round', 'stroke-linecap': 'round' });
  svg.append(path);
  return svg;
}
