/** The worker's own reviews, with their status (visible / hidden / held and why), edit and delete. */
import { useEffect, useState } from 'preact/hooks';
import type { OwnReview } from '../../core/sync-protocol.js';
import { t } from '../i18n.js';
import { ConfirmButton, StatusLine } from './fields.js';
import { errorText, send } from './send.js';
import { ratingFacts, reviewFacts } from './RequesterCard.js';

const STATUS_KEYS = { visible: 'reviewStatusVisible', hidden: 'reviewStatusHidden', held: 'reviewStatusHeld' } as const;

export function OwnReviews(props: { onEdit: (review: OwnReview) => void; refreshKey?: number }) {
  const [reviews, setReviews] = useState<OwnReview[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleted, setDeleted] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);

  useEffect(() => {
    let live = true;
    send('ui/own-reviews', {}).then(
      (result) => {
        if (!live) return;
        setReviews(result.reviews);
        setLoadError(result.error ? errorText(new Error(result.error)) : null);
      },
      (error) => live && setLoadError(errorText(error)),
    );
    return () => {
      live = false;
    };
  }, [props.refreshKey]);

  async function remove(review: OwnReview) {
    try {
      const result = await send('ui/submit', { submission: { kind: 'review-delete', reviewId: review.id } });
      if (result.item.state === 'rejected') {
        setMessage({ text: errorText(new Error(result.item.lastError ?? t('errorRefused'))), kind: 'error' });
        return;
      }
      setDeleted(new Set([...deleted, review.id]));
      setMessage({ text: result.delivered ? t('reviewDeleted') : t('reviewDeleteQueued'), kind: 'ok' });
    } catch (error) {
      setMessage({ text: errorText(error), kind: 'error' });
    }
  }

  return (
    <div data-view="own-reviews">
      {loadError && <p class="muted small">{t('ownReviewsUnavailable', loadError)}</p>}
      {reviews === null && !loadError && <p class="muted small">{t('loading')}</p>}
      {reviews !== null && reviews.length === 0 && !loadError && <p class="muted small">{t('ownReviewsNone')}</p>}
      {reviews !== null && reviews.length > 0 && (
        <ul class="plain">
          {reviews.map((review) => (
            <li key={review.id} data-review={review.id} data-status={review.status}>
              <p>
                <strong>{review.taskTitle || review.taskId}</strong> <span class="muted small">({review.requester})</span>
              </p>
              <p class="small">
                <span class="label">{t(STATUS_KEYS[review.status])}</span>
                {review.statusReason ? ` — ${t('statusReason', review.statusReason)}` : ''}
              </p>
              <p class="small muted">
                {review.createdOn} · {reviewFacts(review)}
              </p>
              {ratingFacts(review) && <p class="small">{ratingFacts(review)}</p>}
              {review.text && <p class="review-text small">{review.text}</p>}
              {deleted.has(review.id) ? (
                <p class="muted small">{t('reviewDeletePending')}</p>
              ) : (
                <div class="actions">
                  <button type="button" onClick={() => props.onEdit(review)}>
                    {t('edit')}
                  </button>
                  <ConfirmButton
                    label={t('delete')}
                    question={t('deleteReviewQuestion')}
                    confirmLabel={t('deleteReviewConfirm')}
                    confirming={confirming === review.id}
                    setConfirming={(on) => setConfirming(on ? review.id : null)}
                    onConfirm={() => void remove(review)}
                  />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <StatusLine message={message?.text ?? null} kind={message?.kind ?? 'info'} />
    </div>
  );
}
