/**
 * The requester badge: compact, and says its level in words and an icon, not colour
 * alone. All text (requester names come from the page, reasons from the replica) is
 * rendered by Preact as text nodes — never as HTML. It opens the detail card on click,
 * keyboard focus, or hover.
 */
import type { BadgeBrief } from '../core/badge-brief.js';
import type { LookupResult } from '../core/messages.js';
import { isKeyedByName, type RequesterKey } from '../core/requester-key.js';
import type { Level } from '../core/schemas.js';
import { formatMoney, t } from '../ui/i18n.js';
import { LevelIcon } from '../ui/level-icon.js';
import { describeReason } from '../ui/reasons.js';


const LEVEL_LABELS: Record<Level, string> = {
  unknown: 'levelLabelUnknown',
  ok: 'levelLabelOk',
  caution: 'levelLabelCaution',
  danger: 'levelLabelDanger',
};

export function levelLabel(level: Level): string {
  return t(LEVEL_LABELS[level]);
}

/** The badge's words: a pure function of the brief, so index and full answer agree. */
export function badgeText(brief: BadgeBrief): string {
  if (brief.blocked) return t('badgeBlocked');
  if (brief.level === 'unknown') return brief.held ? t('badgeHeld') : t('badgeNew');
  if (brief.level === 'danger') return brief.phishing ? t('badgeDangerPhishing') : t('badgeDangerSuspensions');
  if (brief.pay) return t('badgePerHour', formatMoney(brief.pay.centsPerHour, brief.pay.currency));
  return brief.level === 'ok' ? t('badgeOk') : t('badgeCaution');
}

/** The screen reader's sentence after name and level: reasons and counts once the full answer is in. */
function details(key: RequesterKey, brief: BadgeBrief, result: LookupResult | undefined): string {
  const lines = result ? result.assessment.reasons.map(describeReason) : [];
  if (isKeyedByName(key)) lines.unshift(t('keyedByName'));
  const reviews = result?.summary?.allTime.reviews ?? 0;
  if (reviews > 0) lines.push(t('reviewCount', String(reviews)));
  const held = result?.summary?.held ?? 0;
  if (held > 0) lines.push(t('heldReviews', String(held)));
  else if (brief.level === 'unknown' && !brief.held) lines.push(t('noReviewsHint'));
  return lines.join(' ');
}

interface BadgeProps {
  requester: RequesterKey;
  name: string;
  brief: BadgeBrief;
  /** The full answer; until it arrives the badge shows the brief and opens nothing. */
  result: LookupResult | undefined;
  onOpen(via: 'click' | 'focus' | 'hover'): void;
}

export function Badge({ requester, name, brief, result, onOpen }: BadgeProps) {
  const level = brief.level;
  return (
    <button
      type="button"
      class={`badge ${level}`}
      aria-haspopup="dialog"
      aria-label={t('badgeAria', [name, levelLabel(level), details(requester, brief, result)])}
      onClick={(event) => {
        event.preventDefault();
        event.stopPropagation();
        onOpen('click');
      }}
      onMouseEnter={() => onOpen('hover')}
      onFocus={() => onOpen('focus')}
    >
      <LevelIcon level={level} size={11} />
      <span>{badgeText(brief)}</span>
    </button>
  );
}
