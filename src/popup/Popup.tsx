/**
 * The popup: picks the view. Home (HomeView.tsx): on a task page the requester(s) on it
 * with their actions (review, suspension report, flag); anywhere "I was suspended",
 * "My reports", tasks to review, sync status, the outbox and the worker's own reviews.
 * The other views are the forms and the list of the worker's suspension reports.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { OutboxItem } from '../core/extension-state.js';
import type { PageInfo } from '../core/messages.js';
import type { RequesterFlagInput, ReviewFlagInput, SuspensionReportInput } from '../core/schemas.js';
import type { OwnReview, OwnSuspensionReport, PublicReview } from '../core/sync-protocol.js';
import type { WorkLogEntry } from '../core/work-log.js';
import { cardParams, taskToPrefill, type CardTask } from './card-params.js';
import { FlagForm, ReviewFlagForm } from '../ui/components/FlagForm.js';
import { StatusLine } from '../ui/components/fields.js';
import { OutboxList } from '../ui/components/OutboxList.js';
import { OwnReviews } from '../ui/components/OwnReviews.js';
import type { RequesterActions } from '../ui/components/RequesterCard.js';
import { draftFromReview, draftFromWorkLog, newDraft, withWorkLog, type MinutesSource, type ReviewDraft } from '../ui/components/review-draft.js';
import { ReviewForm } from '../ui/components/ReviewForm.js';
import { send, tabSender } from '../ui/components/send.js';
import { SuspensionForm } from '../ui/components/SuspensionForm.js';
import { payloadFromReport } from '../ui/components/suspension-picks.js';
import { SyncStatusView } from '../ui/components/SyncStatusView.js';
import { useStatus } from '../ui/components/use-status.js';
import type { ServerError } from '../ui/components/use-submit.js';
import { t } from '../ui/i18n.js';
import { HomeView, type Requester } from './HomeView.js';
import { MyReports } from './MyReports.js';
import { ReviewableTasks } from './ReviewableTasks.js';

interface Editing {
  replaces?: string;
  serverError?: ServerError | null;
}
type View =
  | { kind: 'home' }
  | ({ kind: 'review'; draft: ReviewDraft; reviewId?: string; suggested?: MinutesSource; fromWorkLog?: boolean } & Editing)
  | ({ kind: 'suspension'; requester?: Requester; initial?: SuspensionReportInput; reportId?: string } & Editing)
  | { kind: 'my-reports' }
  | ({ kind: 'flag'; requester: Requester; initial?: RequesterFlagInput; cardTask?: CardTask | null } & Editing)
  | ({ kind: 'review-flag'; reviewId: string; about: string; initial?: ReviewFlagInput } & Editing);

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
    // Issue 12: prefilled from the row clicked (name, task id, title, reward), checked in card-params.ts.
    const fromCard = cardParams(location.search);
    if (!fromCard) return;
    openedFromCard.current = true;
    const { form, key } = { form: fromCard.form, key: fromCard.requester.key };
    const requester = { key, name: page?.requesters.find((r) => r.key === key)?.name ?? fromCard.requester.name ?? key.slice(key.indexOf(':') + 1) };
    if (form === 'review') void writeReview(requester, fromCard.task);
    else if (form === 'suspension') setView({ kind: 'suspension', requester });
    else if (form === 'flag') setView({ kind: 'flag', requester, cardTask: fromCard.task });
    else if (form === 'review-flag' && fromCard.review)
      setView({ kind: 'review-flag', reviewId: fromCard.review.id, about: t('reviewFlagAbout', [requester.name, fromCard.review.taskTitle, fromCard.review.createdOn]) });
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
  const refreshStatus = () => void send('ui/status', {}).then(setStatus, () => undefined);
  const done = (delivered: boolean) => {
    setView({ kind: 'home' });
    setNotice({ text: delivered ? t('submitSent') : t('submitQueued'), kind: 'ok' });
    setOwnKey((k) => k + 1);
    refreshStatus();
  };
  const cancel = () => setView({ kind: 'home' });

  /** A review of the page's task, with what the work log knows of it (if it can be read). */
  async function writeReview(requester: Requester, cardTask: CardTask | null = null) {
    const prefill = taskToPrefill(task, cardTask, requester.key);
    const draft = newDraft(requester, prefill);
    const own = prefill && prefill.requester === requester.key ? prefill : null;
    const entry = own ? await send('ui/work-log-task', { requester: requester.key, taskId: own.taskId }).then((r) => r.entry, () => null) : null;
    const filled = withWorkLog(draft, entry);
    setView({ kind: 'review', draft: filled.draft, suggested: filled.minutesFrom, fromWorkLog: entry !== null });
  }

  function reviewLogged(entry: WorkLogEntry) {
    const filled = draftFromWorkLog(entry);
    setView({ kind: 'review', draft: filled.draft, suggested: filled.minutesFrom, fromWorkLog: true });
  }

  function editReport(report: OwnSuspensionReport) {
    setView({ kind: 'suspension', initial: payloadFromReport(report), reportId: report.id });
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
        return setView({ kind: 'suspension', initial: s.payload, ...editing });
      case 'suspension-edit':
        return setView({ kind: 'suspension', initial: s.payload, reportId: s.reportId, ...editing });
      case 'requester-flag':
        return setView({ kind: 'flag', requester: { key: s.payload.requester, name: s.payload.requesterName }, initial: s.payload, ...editing });
      case 'review-flag':
        return setView({ kind: 'review-flag', reviewId: s.payload.reviewId, about: t('reviewFlagAboutId', s.payload.reviewId), initial: s.payload, ...editing });
      case 'review-delete':
      case 'suspension-withdraw':
        return undefined;
    }
  }

  const actionsFor = (requester: Requester): RequesterActions => ({
    onWrite: () => void writeReview(requester),
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
          suggestedMinutes={view.suggested ?? null}
          fromWorkLog={view.fromWorkLog ?? false}
          onDone={done}
          onCancel={cancel}
        />
      );
      break;
    case 'suspension':
      body = (
        <SuspensionForm
          requester={view.requester ?? null}
          initial={view.initial ?? null}
          reportId={view.reportId ?? null}
          replaces={view.replaces}
          serverError={view.serverError ?? null}
          onDone={done}
          onCancel={cancel}
        />
      );
      break;
    case 'my-reports':
      body = <MyReports outbox={status?.outbox ?? []} onEdit={editReport} onEditOutbox={editOutboxItem} onBack={cancel} onChanged={refreshStatus} />;
      break;
    case 'flag': {
      const shown = taskToPrefill(task, view.cardTask ?? null, view.requester.key);
      const flagTask = shown && shown.requester === view.requester.key ? { taskId: shown.taskId, taskTitle: shown.taskTitle } : null;
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
        <HomeView
          page={page}
          actionsFor={actionsFor}
          onReportSuspension={() => setView({ kind: 'suspension' })}
          onMyReports={() => setView({ kind: 'my-reports' })}
          reviewable={<ReviewableTasks onReview={reviewLogged} refreshKey={ownKey} />}
          statusView={
            <>
              <SyncStatusView status={status} error={statusError} onStatus={setStatus} onOpenOptions={() => void browser.runtime.openOptionsPage()} />
              <OutboxList items={status?.outbox ?? []} unreadable={status?.outboxUnreadable} onEdit={editOutboxItem} onChanged={refreshStatus} />
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
