/** The icon for each warning level: inline SVG, not emoji (emoji fonts are missing on many workers' machines). */
import type { Level } from '../core/schemas.js';
import { LEVEL_ICON_PATHS } from './level-icon-svg.js';

export function LevelIcon({ level, size = 12 }: { level: Level; size?: number }) {
  return (
    <svg class="icon" viewBox="0 0 16 16" width={size} height={size} aria-hidden="true" focusable="false">
      <path d={LEVEL_ICON_PATHS[level]} fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" stroke-linecap="round" />
    </svg>
  );
}
