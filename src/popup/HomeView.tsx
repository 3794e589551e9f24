/**
 * The popup's home. On a task page: the requester(s) on it first, with their actions.
 * Anywhere — and first when no platform page is open, since a suspended worker is locked
 * out of the platform — "I was suspended — report it", "My reports" and the tasks the
 * worker could review. Then sync status, the outbox and the worker's own reviews.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { PageInfo } from '../core/messages.js';
import { RequesterCard, type RequesterActions } from '../ui/components/RequesterCard.js';
import { formatMoney } from '../ui/format.js';
import { t, tPlural } from '../ui/i18n.js';
import { SuspectMatchBanner } from './SuspectMatchBanner.js';

export type Requester = { key: string; name: string };

/** Shown at most expanded; further requesters on a list page open on demand. */
const EXPANDED_REQUESTERS = 2;

export function HomeView(props: {
  page: PageInfo | null | undefined;
  actionsFor: (requester: Requester) => RequesterActions;
  onReportSuspension: () => void;
  onMyReports: () => void;
  reviewable: ComponentChildren;
  statusView: ComponentChildren;
  ownReviews: ComponentChildren;
}) {
  const { page } = props;
  const onPlatformPage = Boolean(page && (page.task || page.requesters.length > 0));
  const suspended = (
    <section aria-labelledby="suspended-heading" data-view="suspended">
      <h2 id="suspended-heading">{t('popupSuspendedTitle')}</h2>
      <p class="small">{t('popupSuspendedExplain')}</p>
      <div class="actions">
        <button type="button" class={onPlatformPage ? '' : 'primary'} onClick={props.onReportSuspension}>
          {t('popupSuspendedReport')}
        </button>
        <button type="button" onClick={props.onMyReports}>
          {t('popupMyReports')}
        </button>
      </div>
    </section>
  );
  return (
    <>
      {/* SLOT: the matcher's suspect-match banner (src/popup/SuspectMatchBanner.tsx) leads the home. */}
      <SuspectMatchBanner />
      {!onPlatformPage && suspended}
      <OnThisPage page={page} actionsFor={props.actionsFor} />
      {onPlatformPage && suspended}
      <section aria-labelledby="reviewable-heading" data-view="reviewable">
        <h2 id="reviewable-heading">{t('popupReviewableTitle')}</h2>
        {props.reviewable}
      </section>
      <section aria-labelledby="sync-heading">
        <h2 id="sync-heading">{t('syncTitle')}</h2>
        {props.statusView}
      </section>
      <section aria-labelledby="own-heading">
        <h2 id="own-heading">{t('ownReviewsTitle')}</h2>
        {props.ownReviews}
      </section>
      <p class="small">
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('openOptions')}
        </button>
      </p>
    </>
  );
}

function OnThisPage(props: { page: PageInfo | null | undefined; actionsFor: (requester: Requester) => RequesterActions }) {
  const { page } = props;
  const task = page?.task ?? null;
  // The task's own requester first, then the others in page order.
  const requesters = page ? [...page.requesters].sort((a, b) => Number(b.key === task?.requester) - Number(a.key === task?.requester)) : [];
  if (task && !requesters.some((r) => r.key === task.requester)) requesters.unshift({ key: task.requester, name: task.requesterName });
  return (
    <section aria-labelledby="on-page" data-view="on-page">
      <h2 id="on-page">{t('onThisPage')}</h2>
      {page === undefined && <p class="muted small">{t('loading')}</p>}
      {page === null && <p class="muted small">{t('notATaskPage')}</p>}
      {page && task && (
        <p class="small" data-field="page-task">
          <span class="label">{t('taskLabel')}: </span>
          {task.taskTitle}
          {task.reward ? ` · ${formatMoney(task.reward.cents, task.reward.currency)}` : ''}
        </p>
      )}
      {page && requesters.length === 0 && <p class="muted small">{t('noRequestersOnPage')}</p>}
      {requesters.slice(0, EXPANDED_REQUESTERS).map((r) => (
        <RequesterCard key={r.key} requester={r} actions={props.actionsFor(r)} />
      ))}
      {requesters.length > EXPANDED_REQUESTERS && (
        <details>
          <summary>{tPlural('pluralMoreRequesters', requesters.length - EXPANDED_REQUESTERS)}</summary>
          {requesters.slice(EXPANDED_REQUESTERS).map((r) => (
            <LazyRequester key={r.key} requester={r} actions={props.actionsFor(r)} />
          ))}
        </details>
      )}
    </section>
  );
}

/** A requester further down a list page: its details are fetched only when opened. */
function LazyRequester(props: { requester: Requester; actions: RequesterActions }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{props.requester.name}</summary>
      {open && <RequesterCard requester={props.requester} actions={props.actions} />}
    </details>
  );
}
