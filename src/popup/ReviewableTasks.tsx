/**
 * "Tasks you could review": decided tasks (approved or rejected) of the browser-only work
 * log not yet reviewed from here. Picking one opens the review form prefilled from it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { WorkLogEntry } from '../core/work-log.js';
import { formatDateTime } from '../ui/components/format.js';
import { outcomeLabel } from '../ui/components/ReviewForm.js';
import { send } from '../ui/components/send.js';
import { formatMoney, t } from '../ui/i18n.js';

/** Shown before "show all": the popup is small. */
const SHOWN = 5;

export function ReviewableTasks(props: { onReview: (entry: WorkLogEntry) => void; refreshKey?: number }) {
  const [entries, setEntries] = useState<WorkLogEntry[] | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [showAll, setShowAll] = useState(false);

  useEffect(() => {
    let live = true;
    send('ui/reviewable-tasks', {}).then(
      (result) => {
        if (!live) return;
        setEntries(result.entries);
        setUnavailable(false);
      },
      () => {
        // No work log in this background (yet): say so quietly, the rest of the popup works.
        if (!live) return;
        setEntries([]);
        setUnavailable(true);
      },
    );
    return () => {
      live = false;
    };
  }, [props.refreshKey]);

  if (entries === null) return <p class="muted small">{t('loading')}</p>;
  if (unavailable) return <p class="muted small">{t('popupWorkLogUnavailable')}</p>;
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
