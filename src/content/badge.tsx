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
      <LevelIcon level={level} size={11} />
      <span>{badgeText(result)}</span>
    </button>
  );
}
