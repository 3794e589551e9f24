/**
 * The detail card's content: who, how risky and why, the numbers, recent reviews with a
 * pay sparkline, and the worker's actions. Names and review texts come from pages and
 * other workers: everything is rendered as text nodes, never as HTML.
 * No hooks: the card's little state (`View`) lives with the open card in index.tsx,
 * which renders again on every change — it keeps the content script small.
 */
import type { PublicReview } from '../../core/sync-protocol.js';
import { LevelIcon } from '../../ui/level-icon.js';
import { t, tPlural } from '../../ui/i18n.js';
import { describeReason } from '../../ui/reasons.js';
import { refusalText } from '../../ui/error-words.js';
import { formatCalendarDay } from '../../ui/format.js';
import { levelWord } from '../../ui/labels.js';
import type { CardActions, CardData } from './card-data.js';
import { Reviews, type ReviewsState } from './reviews.js';
import { Sparkline } from './sparkline.js';
import { CardIssues } from './issues.js';
import { StatsTable } from './stats-table.js';

type BlockState = 'idle' | 'busy' | 'done' | 'already' | 'unblocked' | { error: string };

export interface View {
  /** null: nothing to load (no reviews counted for this requester). */
  reviews: ReviewsState | null;
  block: BlockState;
  /** Reviews whose long text is shown in full. */
  expanded: string[];
}

const errorText = (error: unknown): string => refusalText(error instanceof Error ? error.message : String(error));

export function newView(data: CardData): View {
  return {
    reviews: (data.result.summary?.allTime.reviews ?? 0) > 0 ? { status: 'loading' } : null,
    block: data.result.blocked ? 'already' : 'idle',
    expanded: [],
  };
}

/** Asks for the reviews once; `update` ignores answers that come after the card closed. */
export function loadReviews(actions: CardActions, update: (patch: Partial<View>) => void): void {
  actions.loadReviews().then(
    (r: { reviews: PublicReview[] | null; error: string | null }) =>
      update({ reviews: r.reviews ? { status: 'loaded', reviews: r.reviews } : { status: 'failed', error: r.error ?? '?' } }),
    (e: unknown) => update({ reviews: { status: 'failed', error: errorText(e) } }),
  );
}

interface Props {
  data: CardData;
  actions: CardActions;
  view: View;
  update(patch: Partial<View>): void;
  onClose(): void;
}

export function Card({ data, actions, view, update, onClose }: Props) {
  const { summary, assessment } = data.result;
  const level = assessment.level;
  const sample = assessment.sample;
  const fewReviews = level === 'unknown' && !!sample && sample.reviews > 0 && sample.reviews < sample.needed;
  const sus = summary?.suspensions;
  const lowPay = assessment.reasons.find((r) => r.code === 'low_pay');
  const threshold = lowPay?.code === 'low_pay' ? { cents: lowPay.thresholdCents, currency: lowPay.currency } : null;
  const block = view.block;
  const banner = !!sus && (sus.accounts > 0 || sus.confirmed);
  // The banner already says what the suspension reasons would.
  const reasons = banner ? assessment.reasons.filter((r) => r.code !== 'suspensions' && r.code !== 'suspension_reports') : assessment.reasons;

  const doBlock = (event: Event) => {
    if (block === 'busy') return;
    const root = (event.currentTarget as Node).getRootNode() as ParentNode;
    update({ block: 'busy' });
    actions.block().then(
      () => {
        update({ block: 'done' });
        // Keyboard users land on the confirmation, not on the vanished button.
        root.querySelector<HTMLElement>('.status')?.focus();
      },
      (e: unknown) => update({ block: { error: errorText(e) } }),
    );
  };

  // Issue 12: a blocked requester can be unblocked where it was blocked, on the card.
  const doUnblock = (event: Event) => {
    const root = (event.currentTarget as Node).getRootNode() as ParentNode;
    update({ block: 'busy' });
    actions.unblock().then(
      () => {
        update({ block: 'unblocked' });
        root.querySelector<HTMLElement>('.status')?.focus();
      },
      (e: unknown) => update({ block: { error: errorText(e) } }),
    );
  };

  return (
    <>
      <header>
        <h2 tabIndex={-1}>{data.name}</h2>
        <button type="button" class="close" aria-label={t('cardClose')} title={t('cardClose')} onClick={onClose}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d="M3.5 3.5l9 9M12.5 3.5l-9 9" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
          </svg>
        </button>
      </header>
      <p class={`level ${level}`}>
        <LevelIcon level={level} size={12} />
        <span>{levelWord(level, fewReviews)}</span>
      </p>
      {/* Issue 12: why no level is given, and on how little the pay rests. */}
      {fewReviews && sample && <p data-role="sample-why">{tPlural('sampleCardWhy', sample.reviews, [String(sample.needed)])}</p>}
      {sample?.pay && !sample.pay.enough && <p data-role="sample-pay">{tPlural('samplePayFew', sample.pay.tasks, [String(sample.needed)])}</p>}
      {sus && banner && (
        <div class="banner" role="note">
          <strong>{t('cardSuspensionTitle')}</strong>
          {sus.accounts > 0 && (
            <p>
              {tPlural('pluralCardSuspensionAccounts', sus.accounts)}
              {sus.since && ` ${t('cardSuspensionSince', formatCalendarDay(sus.since))}`}
            </p>
          )}
          <p>{sus.confirmed ? t('cardSuspensionConfirmed') : t('cardSuspensionUnconfirmed')}</p>
        </div>
      )}
      {reasons.length > 0 && (
        <ul class="reasons">
          {reasons.map((reason, i) => (
            <li key={i}>{describeReason(reason)}</li>
          ))}
        </ul>
      )}
      {summary && summary.held > 0 && <p class="sub">{tPlural('pluralHeldReviews', summary.held)}</p>}
      <CardIssues summary={summary} />
      {summary && view.reviews ? <StatsTable summary={summary} /> : <p>{t('noReviewsYet')}</p>}
      {sample && sample.reviews > 0 && <p class="sub" data-role="sample-rule">{t('sampleRule', [String(sample.needed), String(sample.ratingsNeeded ?? sample.needed)])}</p>}
      {view.reviews?.status === 'loaded' && <Sparkline reviews={view.reviews.reviews} threshold={threshold} />}
      {view.reviews && (
        <Reviews
          state={view.reviews}
          onFlag={(r) => actions.openForm('review-flag', { id: r.id, taskTitle: r.taskTitle, createdOn: r.createdOn })}
          expanded={view.expanded}
          toggle={(id) => update({ expanded: view.expanded.includes(id) ? view.expanded.filter((x) => x !== id) : [...view.expanded, id] })}
        />
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={() => actions.openForm('review')}>
          {t('writeReview')}
        </button>
        <button type="button" onClick={() => actions.openForm('suspension')}>
          {t('reportSuspension')}
        </button>
        <button type="button" onClick={() => actions.openForm('flag')}>
          {t('flagRequester')}
        </button>
        {block !== 'done' && block !== 'already' && (
          <button type="button" class="block" aria-disabled={block === 'busy'} onClick={doBlock}>
            {block === 'busy' ? t('cardBlocking') : t('cardBlock')}
          </button>
        )}
      </div>
      {(block === 'done' || block === 'already') && (
        <p class="status" role="status" tabIndex={-1}>
          {block === 'done' ? t('cardBlocked') : t('cardAlreadyBlocked')}{' '}
          <button type="button" data-action="unblock" onClick={(e) => doUnblock(e)}>
            {t('cardUnblock')}
          </button>
        </p>
      )}
      {block === 'unblocked' && (
        <p class="status" role="status" tabIndex={-1}>
          {t('cardUnblocked')}
        </p>
      )}
      {typeof block === 'object' && (
        <p class="status error" role="alert">
          {t('cardBlockFailed', block.error)}
        </p>
      )}
    </>
  );
}
