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

const ICONS: Record<Level, string> = { unknown: '☆', ok: '✓', caution: '⚠', danger: '⛔' };
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
        <span class="icon" aria-hidden="true">
          {ICONS[level]}
        </span>
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
