/** The icon for each warning level, as SVG path data (no Preact here: the content script draws badges without it). */
import type { Level } from '../core/assessment.js';

export const LEVEL_ICON_PATHS: Record<Level, string> = {
  unknown: 'M8 1.5l1.9 4.1 4.4.5-3.3 3 .9 4.4L8 11.3l-3.9 2.2.9-4.4-3.3-3 4.4-.5z',
  ok: 'M2.5 8.5l3.5 3.5 7.5-8',
  caution: 'M8 1.5L15 14H1zM8 6v4M8 11.5v1',
  danger: 'M5 1h6l4 4v6l-4 4H5l-4-4V5zM8 4.5v5M8 11v1.5',
};
