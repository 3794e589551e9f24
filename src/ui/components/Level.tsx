/** A requester's level as a pill: an icon and words, never colour alone. */
import type { Level } from '../../core/schemas.js';
import { t } from '../i18n.js';
import { LevelIcon } from '../level-icon.js';

const LEVEL_WORDS: Record<Level, string> = {
  unknown: 'levelWordUnknown',
  ok: 'levelWordOk',
  caution: 'levelWordCaution',
  danger: 'levelWordDanger',
};


/** `fewReviews`: some reviews, too few for a level (issue 12) — "No level yet", not "No reviews yet". */
export function LevelPill({ level, fewReviews = false }: { level: Level; fewReviews?: boolean }) {
  return (
    <span class={`level ${level}`} data-level={level}>
      <LevelIcon level={level} />
      <span>{fewReviews ? t('sampleLevelWord') : t(LEVEL_WORDS[level])}</span>
    </span>
  );
}
