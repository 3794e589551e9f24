/**
 * One requester on the current page: level in words and icon, hourly pay, review counts,
 * reasons, recent reviews (fetched by hash-prefix bucket), and the three actions.
 * Everything from the page or the server is rendered as text.
 */
import { useEffect, useState } from 'preact/hooks';
import type { RequesterSummary, Assessment } from '../../core/schemas.js';
import { RATING_DIMENSIONS } from '../../core/schemas.js';
import type { PublicReview } from '../../core/sync-protocol.js';
import { formatMoney, formatRating, formatShare } from '../format.js';
import { t, tPlural } from '../i18n.js';
import { dimensionLabel, outcomeLabel, tagLabel } from '../labels.js';
import { describeReason } from '../reasons.js';
import { LevelPill } from './Level.js';
import { errorText, send } from './send.js';

interface Detail {
  summary: RequesterSummary | null;
  assessment: Assessment;
  reviews: PublicReview[] | null;
  reviewsError: string | null;
  /** The worker's own reviews among them (pending: not yet confirmed by a sync). */
  ownReviews?: { id: string; pending: boolean }[] | undefined;
}

export interface RequesterActions {
  onWrite: () => void;
  onReport: () => void;
  onFlag: () => void;
  onFlagReview: (review: PublicReview) => void;
}

const SHOWN_REVIEWS = 5;

export function RequesterCard(props: { requester: { key: string; name: string }; actions: RequesterActions }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const { requester } = props;

  useEffect(() => {
    let live = true;
    send('ui/requester-detail', { key: requester.key }).then(
      (d) => live && setDetail(d),
      (e) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [requester.key]);

  const reviews = detail?.reviews ?? [];
  return (
    <article class="card" data-requester={requester.key} aria-label={requester.name}>
      <h3 class="row">
        <span>{requester.name}</span>
        {detail && <LevelPill level={detail.assessment.level} fewReviews={fewReviews(detail.assessment)} />}
      </h3>
      {error && <p class="error">{t('detailUnavailable', error)}</p>}
      {!detail && !error && <p class="muted small">{t('loading')}</p>}
      {detail && (
        <>
          {fewReviews(detail.assessment) && (
            <p class="small" data-role="sample-why">{tPlural('sampleCardWhy', detail.assessment.sample!.reviews, [String(detail.assessment.sample!.needed)])}</p>
          )}
          {detail.assessment.sample?.pay && !detail.assessment.sample.pay.enough && (
            <p class="small" data-role="sample-pay">{tPlural('samplePayFew', detail.assessment.sample.pay.tasks, [String(detail.assessment.sample.needed)])}</p>
          )}
          {detail.assessment.reasons.length > 0 && (
            <ul class="small" data-list="reasons">
              {detail.assessment.reasons.map((reason, i) => (
                <li key={i}>{describeReason(reason)}</li>
              ))}
            </ul>
          )}
          <p class="small">
            <a href="rules.html" target="_blank" rel="noopener" data-action="open-rules">
              {t('rulesPageTitle')}
            </a>
          </p>
          {detail.summary ? <SummaryStats summary={detail.summary} /> : <p class="muted small">{t('noReviewsYet')}</p>}
          {detail.reviews === null ? (
            detail.reviewsError && <p class="muted small">{t('reviewsUnavailable', errorText(new Error(detail.reviewsError)))}</p>
          ) : reviews.length > 0 ? (
            <details>
              <summary>{t('recentReviews', String(reviews.length))}</summary>
              <ul class="plain" data-list="public-reviews">
                {(showAll ? reviews : reviews.slice(0, SHOWN_REVIEWS)).map((review) => (
                  <ReviewItem key={review.id} review={review} own={detail.ownReviews?.find((o) => o.id === review.id)} onFlag={() => props.actions.onFlagReview(review)} />
                ))}
              </ul>
              {!showAll && reviews.length > SHOWN_REVIEWS && (
                <button type="button" class="link" onClick={() => setShowAll(true)}>
                  {tPlural('pluralShowAllReviews', reviews.length)}
                </button>
              )}
            </details>
          ) : null}
        </>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={props.actions.onWrite}>
          {t('writeReview')}
        </button>
        <button type="button" onClick={props.actions.onReport}>
          {t('reportSuspension')}
        </button>
        <button type="button" onClick={props.actions.onFlag}>
          {t('flagRequester')}
        </button>
      </div>
    </article>
  );
}

function SummaryStats({ summary }: { summary: RequesterSummary }) {
  const window = summary.recent.reviews > 0 ? summary.recent : summary.allTime;
  const hourly = summary.recent.hourly ?? summary.allTime.hourly;
  return (
    <dl class="stats small">
      <dt>{t('statHourly')}</dt>
      <dd data-field="hourly">{hourly ? tPlural('pluralHourlyValue', hourly.tasks, [formatMoney(hourly.centsPerHour, hourly.currency)]) : t('statNone')}</dd>
      <dt>{t('statReviews')}</dt>
      <dd data-field="review-counts">{t('reviewCounts', [String(summary.recent.reviews), String(summary.allTime.reviews)])}</dd>
      <dt>{t('statRejections')}</dt>
      <dd>{window.rejectionShare === null ? t('statNone') : t('rejectionValue', [formatShare(window.rejectionShare), String(window.decided)])}</dd>
      <dt>{t('statDaysToDecision')}</dt>
      <dd>{window.meanDaysToDecision === null ? t('statNone') : formatRating(window.meanDaysToDecision)}</dd>
      {RATING_DIMENSIONS.map((dim) => {
        const stat = window.ratings[dim];
        return [
          <dt key={`${dim}-t`}>{dimensionLabel(dim)}</dt>,
          <dd key={`${dim}-d`}>{stat.mean === null ? t('statNone') : stat.tooFew ? tPlural('sampleRatingTooFew', stat.count, [formatRating(stat.mean)]) : tPlural('pluralRatingValue', stat.count, [formatRating(stat.mean)])}</dd>,
        ];
      })}
      {summary.suspensions.accounts > 0 && (
        <>
          <dt>{t('statSuspensions')}</dt>
          <dd>{summary.suspensions.confirmed ? t('suspensionsConfirmed', String(summary.suspensions.accounts)) : String(summary.suspensions.accounts)}</dd>
        </>
      )}
      {summary.held > 0 && (
        <>
          <dt>{t('statHeld')}</dt>
          <dd>{String(summary.held)}</dd>
        </>
      )}
    </dl>
  );
}

export function reviewFacts(review: Pick<PublicReview, 'outcome' | 'reward' | 'bonusCents' | 'minutes' | 'finished'>): string {
  const parts = [outcomeLabel(review.outcome), formatMoney(review.reward.cents + review.bonusCents, review.reward.currency)];
  if (review.minutes !== null) parts.push(t('minutesValue', formatRating(review.minutes).replace(/[.,]0$/, '')));
  if (!review.finished) parts.push(t('notFinished'));
  return parts.join(' · ');
}

export function ratingFacts(review: Pick<PublicReview, 'ratings'>): string {
  return RATING_DIMENSIONS.filter((dim) => review.ratings[dim] !== null)
    .map((dim) => `${dimensionLabel(dim)} ${review.ratings[dim]}/5`)
    .join(' · ');
}

function ReviewItem({ review, own, onFlag }: { review: PublicReview; own: { pending: boolean } | undefined; onFlag: () => void }) {
  return (
    <li data-review={review.id}>
      <p class="small muted">
        {review.createdOn}
        {review.editedOn ? ` (${t('edited')})` : ''} · {review.taskTitle}
      </p>
      <p class="small">{reviewFacts(review)}</p>
      {ratingFacts(review) && <p class="small">{ratingFacts(review)}</p>}
      {review.tags.length > 0 && <p class="small">{review.tags.map(tagLabel).join(', ')}</p>}
      {review.text && <p class="review-text">{review.text}</p>}
      {/* One's own review is not flagged; it says whose it is, and whether others see it yet. */}
      {own ? (
        <p class="small muted" data-own-review={own.pending ? 'pending' : 'confirmed'}>
          {t(own.pending ? 'overlayYourReviewPending' : 'overlayYourReview')}
        </p>
      ) : (
        <button type="button" class="link small" onClick={onFlag}>
          {t('flagReview')}
        </button>
      )}
    </li>
  );
}

/** Some reviews, too few for a level (issue 12): the card says so instead of "no reviews yet". */
function fewReviews(assessment: Assessment): boolean {
  const sample = assessment.sample;
  return assessment.level === 'unknown' && !!sample && sample.reviews > 0 && sample.reviews < sample.needed;
}
