/** A requester's level as a pill: an icon and words, never colour alone. */
import type { Level } from '../../core/schemas.js';
import { levelWord } from '../labels.js';
import { LevelIcon } from '../level-icon.js';

/** `fewReviews`: some reviews, too few for a level (issue 12) — "No level yet", not "No reviews yet". */
export function LevelPill({ level, fewReviews = false }: { level: Level; fewReviews?: boolean }) {
  return (
    <span class={`level ${level}`} data-level={level}>
      <LevelIcon level={level} />
      <span>{levelWord(level, fewReviews)}</span>
    </span>
  );
}
