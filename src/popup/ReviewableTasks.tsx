/**
 * "Tasks you could review": decided tasks (approved or rejected) of the browser-only work
 * log not yet reviewed from here. Picking one opens the review form prefilled from it.
 */
import { useState } from 'preact/hooks';
import type { WorkLogEntry } from '../core/work-log.js';
import { formatDateTime, formatMoney } from '../ui/format.js';
import { outcomeLabel } from '../ui/labels.js';
import { send } from '../ui/components/send.js';
import { useLoad } from '../ui/components/use-load.js';
import { t } from '../ui/i18n.js';

/** Shown before "show all": the popup is small. */
const SHOWN = 5;

export function ReviewableTasks(props: { onReview: (entry: WorkLogEntry) => void; refreshKey?: number }) {
  const [showAll, setShowAll] = useState(false);
  // Without a readable work log, say so quietly: the rest of the popup works.
  const { value, error } = useLoad(() => send('ui/reviewable-tasks', {}), [props.refreshKey]);
  const entries = value?.entries ?? null;

  if (error) return <p class="muted small">{t('popupWorkLogUnavailable')}</p>;
  if (entries === null) return <p class="muted small">{t('loading')}</p>;
  if (entries.length === 0) return <p class="muted small">{t('popupReviewableNone')}</p>;
  const shown = showAll ? entries : entries.slice(0, SHOWN);
  return (
    <>
      <ul class="plain" data-list="reviewable">
        {shown.map((entry) => (
          <li key={entry.id} data-task={entry.taskId}>
            <p>
              <strong>{entry.taskTitle || entry.taskId}</strong> <span class="muted small">— {entry.requesterName || entry.requester}</span>
            </p>
            <p class="small muted">
              {entry.outcome ? outcomeLabel(entry.outcome) : ''}
              {entry.decidedAt !== null ? ` · ${formatDateTime(entry.decidedAt)}` : ''}
              {entry.reward ? ` · ${formatMoney(entry.reward.cents, entry.reward.currency)}` : ''}
            </p>
            <div class="actions">
              <button type="button" onClick={() => props.onReview(entry)} aria-label={t('popupReviewTaskLabel', [entry.taskTitle || entry.taskId, entry.requesterName || entry.requester])}>
                {t('writeReview')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {entries.length > SHOWN && (
        <button type="button" class="link" aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
          {showAll ? t('popupShowFewer') : t('popupShowAllReviewable', String(entries.length))}
        </button>
      )}
    </>
  );
}
