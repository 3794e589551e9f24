/**
 * The requester badge: compact, and says its level in words and an icon, not colour
 * alone. All text (requester names come from the page, reasons from the replica) is
 * rendered by Preact as text nodes — never as HTML. It opens the detail card on click,
 * keyboard focus, or hover.
 */
import type { LookupResult } from '../core/messages.js';
import { isKeyedByName } from '../core/requester-key.js';
import type { Level } from '../core/schemas.js';
import { formatMoney, t } from '../ui/i18n.js';
import { describeReason } from '../ui/reasons.js';

/** Inline SVG, not emoji: emoji fonts are missing on many workers' machines. */
export const LEVEL_ICON_PATHS: Record<Level, string> = {
  unknown: 'M8 1.5l1.9 4.1 4.4.5-3.3 3 .9 4.4L8 11.3l-3.9 2.2.9-4.4-3.3-3 4.4-.5z',
  ok: 'M2.5 8.5l3.5 3.5 7.5-8',
  caution: 'M8 1.5L15 14H1zM8 6v4M8 11.5v1',
  danger: 'M5 1h6l4 4v6l-4 4H5l-4-4V5zM8 4.5v5M8 11v1.5',
};

export function LevelIcon({ level, size = 11 }: { level: Level; size?: number }) {
  return (
    <svg class="icon" viewBox="0 0 16 16" width={size} height={size} aria-hidden="true" focusable="false">
      <path d={LEVEL_ICON_PATHS[level]} fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" stroke-linecap="round" />
    </svg>
  );
}

const LEVEL_LABELS: Record<Level, string> = {
  unknown: 'levelLabelUnknown',
  ok: 'levelLabelOk',
  caution: 'levelLabelCaution',
  danger: 'levelLabelDanger',
};

export function levelLabel(level: Level): string {
  return t(LEVEL_LABELS[level]);
}

function badgeText(result: LookupResult): string {
  const { level, reasons } = result.assessment;
  if (result.blocked) return t('badgeBlocked');
  if (level === 'unknown') return (result.summary?.held ?? 0) > 0 ? t('badgeHeld') : t('badgeNew');
  if (level === 'danger') {
    return reasons[0]?.code === 'phishing' ? t('badgeDangerPhishing') : t('badgeDangerSuspensions');
  }
  const pay = result.summary?.recent.hourly ?? result.summary?.allTime.hourly;
  if (pay) return t('badgePerHour', formatMoney(pay.centsPerHour, pay.currency));
  return level === 'ok' ? t('badgeOk') : t('badgeCaution');
}

function details(result: LookupResult): string {
  const lines = result.assessment.reasons.map(describeReason);
  if (isKeyedByName(result.key)) lines.unshift(t('keyedByName'));
  const reviews = result.summary?.allTime.reviews ?? 0;
  if (reviews > 0) lines.push(t('reviewCount', String(reviews)));
  const held = result.summary?.held ?? 0;
  if (held > 0) lines.push(t('heldReviews', String(held)));
  else if (result.assessment.level === 'unknown') lines.push(t('noReviewsHint'));
  return lines.join(' ');
}

export function Badge({ name, result, onOpen }: { name: string; result: LookupResult; onOpen(via: 'click' | 'focus' | 'hover'): void }) {
  const level = result.assessment.level;
  return (
    <button
      type="button"
      class={`badge ${level}`}
      aria-haspopup="dialog"
      aria-label={t('badgeAria', [name, levelLabel(level), details(result)])}
      onClick={(event) => {
        event.preventDefault();
        event.stopPropagation();
        onOpen('click');
      }}
      onMouseEnter={() => onOpen('hover')}
      onFocus={() => onOpen('focus')}
    >
      <LevelIcon level={level} />
      <span>{badgeText(result)}</span>
    </button>
  );
}
