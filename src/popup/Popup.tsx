/**
 * The popup. On a task page: the requester(s) on it with their summaries and the three
 * actions (review, suspension report, flag). Anywhere: sync status, the outbox, and the
 * worker's own reviews.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { OutboxItem } from '../core/extension-state.js';
import type { PageInfo } from '../core/messages.js';
import type { RequesterFlagInput, ReviewFlagInput, SuspensionReportInput } from '../core/schemas.js';
import type { OwnReview, PublicReview } from '../core/sync-protocol.js';
import { FlagForm, ReviewFlagForm } from '../ui/components/FlagForm.js';
import { StatusLine } from '../ui/components/fields.js';
import { OutboxList } from '../ui/components/OutboxList.js';
import { OwnReviews } from '../ui/components/OwnReviews.js';
import { RequesterCard, type RequesterActions } from '../ui/components/RequesterCard.js';
import { newDraft, draftFromReview, type ReviewDraft } from '../ui/components/review-draft.js';
import { ReviewForm } from '../ui/components/ReviewForm.js';
import { send, tabSender } from '../ui/components/send.js';
import { SuspensionForm } from '../ui/components/SuspensionForm.js';
import { SyncStatusView } from '../ui/components/SyncStatusView.js';
import { useStatus } from '../ui/components/use-status.js';
import type { ServerError } from '../ui/components/use-submit.js';
import { formatMoney, t } from '../ui/i18n.js';

type Requester = { key: string; name: string };
interface Editing {
  replaces?: string;
  serverError?: ServerError | null;
}
type View =
  | { kind: 'home' }
  | ({ kind: 'review'; draft: ReviewDraft; reviewId?: string; suggested?: boolean } & Editing)
  | ({ kind: 'suspension'; requester: Requester; initial?: SuspensionReportInput } & Editing)
  | ({ kind: 'flag'; requester: Requester; initial?: RequesterFlagInput } & Editing)
  | ({ kind: 'review-flag'; reviewId: string; about: string; initial?: ReviewFlagInput } & Editing);

/** Shown at most expanded; further requesters on a list page open on demand. */
const EXPANDED_REQUESTERS = 2;

async function findTabId(): Promise<number | null> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param && /^\d+$/.test(param)) return Number(param);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

function editingOf(item: OutboxItem): Editing {
  return { replaces: item.id, serverError: item.state === 'rejected' ? { message: item.lastError ?? '', field: item.errorField } : null };
}

export function Popup() {
  const [page, setPage] = useState<PageInfo | null | undefined>(undefined);
  const [view, setView] = useState<View>({ kind: 'home' });
  const [notice, setNotice] = useState<{ text: string; kind: 'ok' | 'error' | 'info' } | null>(null);
  const [ownKey, setOwnKey] = useState(0);
  const { status, error: statusError, setStatus } = useStatus();
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    findTabId()
      .then((tabId) => (tabId === null ? null : tabSender(tabId)('tab/page-info', {})))
      .then(
        (info) => setPage(info),
        () => setPage(null), // not a task page, or no content script there: the "anywhere" view only
      );
  }, []);

  // Opened from a detail card's button (popup.html?form=review&requester=…&tab=…): go
  // straight to that form, once the page's requesters are known.
  const openedFromCard = useRef(false);
  useEffect(() => {
    if (page === undefined || openedFromCard.current) return;
    const params = new URLSearchParams(location.search);
    const form = params.get('form');
    const key = params.get('requester');
    if (!form || !key) return;
    openedFromCard.current = true;
    const requester = { key, name: page?.requesters.find((r) => r.key === key)?.name ?? key.slice(key.indexOf(':') + 1) };
    if (form === 'review') writeReview(requester);
    else if (form === 'suspension') setView({ kind: 'suspension', requester });
    else if (form === 'flag') setView({ kind: 'flag', requester });
  }, [page]);

  // Move focus to the new view's heading so keyboard and screen-reader users follow along.
  useEffect(() => {
    if (view.kind === 'home') return;
    const heading = mainRef.current?.querySelector<HTMLElement>('h2');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }, [view]);

  const task = page?.task ?? null;
  const done = (delivered: boolean) => {
    setView({ kind: 'home' });
    setNotice({ text: delivered ? t('submitSent') : t('submitQueued'), kind: 'ok' });
    setOwnKey((k) => k + 1);
    send('ui/status', {}).then(setStatus, () => undefined);
  };
  const cancel = () => setView({ kind: 'home' });

  function writeReview(requester: Requester) {
    const draft = newDraft(requester, task);
    setView({ kind: 'review', draft, suggested: draft.minutes !== '' });
  }

  function editOwnReview(review: OwnReview) {
    // The server returns the requester's name as the author wrote it.
    setView({ kind: 'review', draft: draftFromReview(review), reviewId: review.id });
  }

  function editOutboxItem(item: OutboxItem) {
    const s = item.submission;
    const editing = editingOf(item);
    switch (s.kind) {
      case 'review':
        return setView({ kind: 'review', draft: draftFromReview(s.payload), ...editing });
      case 'review-edit':
        return setView({ kind: 'review', draft: draftFromReview(s.payload), reviewId: s.reviewId, ...editing });
      case 'suspension':
        return setView({ kind: 'suspension', requester: { key: s.payload.requester, name: s.payload.requesterName }, initial: s.payload, ...editing });
      case 'requester-flag':
        return setView({ kind: 'flag', requester: { key: s.payload.requester, name: s.payload.requesterName }, initial: s.payload, ...editing });
      case 'review-flag':
        return setView({ kind: 'review-flag', reviewId: s.payload.reviewId, about: t('reviewFlagAboutId', s.payload.reviewId), initial: s.payload, ...editing });
      case 'review-delete':
        return undefined;
    }
  }

  const actionsFor = (requester: Requester): RequesterActions => ({
    onWrite: () => writeReview(requester),
    onReport: () => setView({ kind: 'suspension', requester }),
    onFlag: () => setView({ kind: 'flag', requester }),
    onFlagReview: (review: PublicReview) =>
      setView({ kind: 'review-flag', reviewId: review.id, about: t('reviewFlagAbout', [requester.name, review.taskTitle, review.createdOn]) }),
  });

  let body;
  switch (view.kind) {
    case 'review':
      body = (
        <ReviewForm
          draft={view.draft}
          reviewId={view.reviewId ?? null}
          replaces={view.replaces}
          serverError={view.serverError ?? null}
          suggestedMinutes={view.suggested ?? false}
          onDone={done}
          onCancel={cancel}
        />
      );
      break;
    case 'suspension':
      body = <SuspensionForm requester={view.requester} initial={view.initial ?? null} replaces={view.replaces} serverError={view.serverError ?? null} onDone={done} onCancel={cancel} />;
      break;
    case 'flag': {
      const flagTask = task && task.requester === view.requester.key ? { taskId: task.taskId, taskTitle: task.taskTitle } : null;
      body = (
        <FlagForm
          requester={view.requester}
          task={flagTask}
          initial={view.initial ?? null}
          replaces={view.replaces}
          serverError={view.serverError ?? null}
          onDone={done}
          onCancel={cancel}
        />
      );
      break;
    }
    case 'review-flag':
      body = (
        <ReviewFlagForm
          reviewId={view.reviewId}
          about={view.about}
          initial={view.initial ?? null}
          replaces={view.replaces}
          serverError={view.serverError ?? null}
          onDone={done}
          onCancel={cancel}
        />
      );
      break;
    case 'home':
      body = (
        <Home
          page={page}
          actionsFor={actionsFor}
          statusView={
            <>
              <SyncStatusView status={status} error={statusError} onStatus={setStatus} onOpenOptions={() => void browser.runtime.openOptionsPage()} />
              <OutboxList items={status?.outbox ?? []} onEdit={editOutboxItem} onChanged={() => send('ui/status', {}).then(setStatus, () => undefined)} />
            </>
          }
          ownReviews={<OwnReviews onEdit={editOwnReview} refreshKey={ownKey} />}
        />
      );
  }

  return (
    <main ref={mainRef}>
      <h1>
        <img src="icons/icon-32.png" width={20} height={20} alt="" /> {t('appName')}
      </h1>
      <StatusLine message={view.kind === 'home' ? (notice?.text ?? null) : null} kind={notice?.kind ?? 'info'} />
      {body}
    </main>
  );
}

function Home(props: {
  page: PageInfo | null | undefined;
  actionsFor: (requester: Requester) => RequesterActions;
  statusView: ComponentChildren;
  ownReviews: ComponentChildren;
}) {
  const { page } = props;
  const task = page?.task ?? null;
  // The task's own requester first, then the others in page order.
  const requesters = page ? [...page.requesters].sort((a, b) => Number(b.key === task?.requester) - Number(a.key === task?.requester)) : [];
  if (task && !requesters.some((r) => r.key === task.requester)) requesters.unshift({ key: task.requester, name: task.requesterName });
  return (
    <>
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
            <summary>{t('moreRequesters', String(requesters.length - EXPANDED_REQUESTERS))}</summary>
            {requesters.slice(EXPANDED_REQUESTERS).map((r) => (
              <LazyRequester key={r.key} requester={r} actions={props.actionsFor(r)} />
            ))}
          </details>
        )}
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
