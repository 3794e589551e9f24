/**
 * The requester badge: compact, and says its level in words and an icon, not colour
 * alone. All text (requester names come from the page, reasons from the replica) is
 * rendered by Preact as text nodes — never as HTML.
 */
import { useState } from 'preact/hooks';
import type { LookupResult } from '../core/messages.js';
import type { Level } from '../core/schemas.js';
import { formatMoney, t } from '../ui/i18n.js';
import { describeReason } from '../ui/reasons.js';

/** Inline SVG, not emoji: emoji fonts are missing on many workers' machines. */
const ICON_PATHS: Record<Level, string> = {
  unknown: 'M8 1.5l1.9 4.1 4.4.5-3.3 3 .9 4.4L8 11.3l-3.9 2.2.9-4.4-3.3-3 4.4-.5z',
  ok: 'M2.5 8.5l3.5 3.5 7.5-8',
  caution: 'M8 1.5L15 14H1zM8 6v4M8 11.5v1',
  danger: 'M5 1h6l4 4v6l-4 4H5l-4-4V5zM8 4.5v5M8 11v1.5',
};

function LevelIcon({ level }: { level: Level }) {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="11" height="11" aria-hidden="true" focusable="false">
      <path d={ICON_PATHS[level]} fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" stroke-linecap="round" />
    </svg>
  );
}
const LEVEL_LABELS: Record<Level, string> = {
  unknown: 'levelLabelUnknown',
  ok: 'levelLabelOk',
  caution: 'levelLabelCaution',
  danger: 'levelLabelDanger',
};

function badgeText(result: LookupResult): string {
  const { level, reasons } = result.assessment;
  if (level === 'unknown') return t('badgeNew');
  if (level === 'danger') {
    return reasons[0]?.code === 'phishing' ? t('badgeDangerPhishing') : t('badgeDangerSuspensions');
  }
  const pay = result.summary?.recent.hourly ?? result.summary?.allTime.hourly;
  if (pay) return t('badgePerHour', formatMoney(pay.centsPerHour, pay.currency));
  return level === 'ok' ? t('badgeOk') : t('badgeCaution');
}

function detailLines(result: LookupResult): string[] {
  const lines = result.assessment.reasons.map(describeReason);
  const reviews = result.summary?.allTime.reviews ?? 0;
  if (reviews > 0) lines.push(t('reviewCount', String(reviews)));
  const held = result.summary?.held ?? 0;
  if (held > 0) lines.push(t('heldReviews', String(held)));
  if (result.assessment.level === 'unknown') lines.push(t('noReviewsHint'));
  return lines;
}

export function Badge({ name, result }: { name: string; result: LookupResult }) {
  const [open, setOpen] = useState(false);
  const level = result.assessment.level;
  const lines = detailLines(result);
  const label = t('badgeAria', [name, t(LEVEL_LABELS[level]), lines.join(' ')]);
  return (
    <span>
      <button
        type="button"
        class={`badge ${level}`}
        aria-label={label}
        aria-expanded={open}
        title={lines.join('\n')}
        onClick={(event) => {
          event.preventDefault();
          event.stopPropagation();
          setOpen(!open);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setOpen(false);
        }}
      >
        <LevelIcon level={level} />
        <span>{badgeText(result)}</span>
      </button>
      {open && (
        <div class="details" role="note">
          <p>
            <strong>{name}</strong>
          </p>
          <ul>
            {lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
    </span>
  );
}
