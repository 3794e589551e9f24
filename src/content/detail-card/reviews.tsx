/**
 * The requester's most recent reviews (at most five, fetched when the card opens).
 * Review texts come from other workers: rendered as text only, long ones clamped with a
 * "more" toggle.
 */
import { RATING_DIMENSIONS } from '../../core/fields.js';
import type { PublicReview } from '../../core/sync-protocol.js';
import { formatCalendarDay, formatMoney } from '../../ui/format.js';
import { t } from '../../ui/i18n.js';
import { dimensionLabel, outcomeLabel, tagLabel } from '../../ui/labels.js';
import { reviewCentsPerHour } from './geometry.js';

export type ReviewsState =
  | { status: 'loading' }
  | { status: 'loaded'; reviews: PublicReview[] }
  | { status: 'failed'; error: string };

const MAX_REVIEWS = 5;
const CLAMP = 220;

function ReviewItem({ review, open, toggle, onFlag }: { review: PublicReview; open: boolean; toggle(): void; onFlag?(review: PublicReview): void }) {
  const cents = reviewCentsPerHour(review);
  const facts = [
    formatCalendarDay(review.createdOn) + (review.editedOn ? ` (${t('edited')})` : ''),
    outcomeLabel(review.outcome),
    cents !== null ? t('badgePerHour', formatMoney(cents, review.reward.currency)) : review.finished ? '' : t('notFinished'),
  ];
  const ratings = RATING_DIMENSIONS.filter((d) => review.ratings[d] !== null).map((d) =>
    t('cardReviewRating', [dimensionLabel(d), String(review.ratings[d])]),
  );
  const text = review.text;
  const long = text.length > CLAMP + 40;
  return (
    <li>
      <p class="meta">{facts.filter(Boolean).join(' · ')}</p>
      {review.taskTitle && <p class="sub title">{review.taskTitle}</p>}
      {ratings.length > 0 && <p class="sub">{ratings.join(' · ')}</p>}
      {review.tags.length > 0 && <p class="tags">{review.tags.map(tagLabel).join(' · ')}</p>}
      {text && (
        <p class="text">
          {long && !open ? `${text.slice(0, CLAMP).trimEnd()}…` : text}
          {long && (
            <>
              {' '}
              <button type="button" class="link" aria-expanded={open} onClick={toggle}>
                {t(open ? 'cardLess' : 'cardMore')}
              </button>
            </>
          )}
        </p>
      )}
      {onFlag && (
        // Issue 12: flag a review where it is read; the popup's flag form (same reasons) opens for it.
        <button type="button" class="link flag" aria-label={t('cardFlagReviewOf', [formatCalendarDay(review.createdOn), review.taskTitle || ''])} onClick={() => onFlag(review)}>
          {t('cardFlagReview')}
        </button>
      )}
    </li>
  );
}

export function Reviews({ state, expanded, toggle, onFlag }: { state: ReviewsState; expanded: string[]; toggle(id: string): void; onFlag?(review: PublicReview): void }) {
  return (
    <section aria-labelledby="lc-reviews" aria-busy={state.status === 'loading'}>
      <h3 id="lc-reviews">{t('cardReviewsTitle')}</h3>
      {state.status === 'loaded' ? (
        state.reviews.length === 0 ? (
          <p class="sub">{t('cardNoReviews')}</p>
        ) : (
          <ul class="reviews">
            {state.reviews.slice(0, MAX_REVIEWS).map((r) => (
              <ReviewItem key={r.id} review={r} open={expanded.includes(r.id)} toggle={() => toggle(r.id)} onFlag={onFlag} />
            ))}
          </ul>
        )
      ) : (
        <p class="sub">{state.status === 'loading' ? t('cardReviewsLoading') : t('reviewsUnavailable', state.error)}</p>
      )}
    </section>
  );
}
