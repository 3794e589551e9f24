/**
 * What is waiting to reach the server. A refused item says why, in words, and stays
 * until the worker edits and re-sends it or discards it: nothing is dropped silently.
 */
import { useState } from 'preact/hooks';
import type { OutboxItem } from '../../core/extension-state.js';
import { t, tPlural } from '../i18n.js';
import { ConfirmButton, StatusLine } from './fields.js';
import { formatRelative } from '../format.js';
import { errorText, send } from './send.js';
import { reportSizeWords } from './report-words.js';
import { reportCounts, requestersOf } from './suspension-picks.js';
import { serverErrorText } from './use-submit.js';

export function describeSubmission(item: OutboxItem): string {
  const s = item.submission;
  switch (s.kind) {
    case 'review':
      return t('outboxReview', [s.payload.requesterName, s.payload.taskTitle || s.payload.taskId]);
    case 'review-edit':
      return t('outboxReviewEdit', [s.payload.requesterName, s.payload.taskTitle || s.payload.taskId]);
    case 'review-delete':
      return t('outboxReviewDelete');
    case 'suspension':
    case 'suspension-edit': {
      const [tasks, requesters] = reportSizeWords(reportCounts(s.payload));
      const names = requestersOf(s.payload).map((r) => r.requesterName);
      const shown = names.length > 3 ? [...names.slice(0, 3), t('reportMoreNames', String(names.length - 3))] : names;
      return t(s.kind === 'suspension' ? 'reportOutboxNew' : 'reportOutboxEdit', [shown.join(', '), tasks, requesters]);
    }
    case 'suspension-withdraw':
      return t('reportOutboxWithdraw');
    case 'requester-flag':
      return t('outboxRequesterFlag', s.payload.requesterName);
    case 'review-flag':
      return t('outboxReviewFlag');
  }
}

/** An outbox item this version can't read: its stored text, to copy before discarding. */
export interface UnreadableOutboxItem {
  id: string;
  raw: string;
}

export function OutboxList(props: { items: OutboxItem[]; unreadable?: UnreadableOutboxItem[]; onEdit?: (item: OutboxItem) => void; onChanged?: () => void }) {
  const [message, setMessage] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const [gone, setGone] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState<string | null>(null);
  const items = props.items.filter((item) => !gone.has(item.id));
  const unreadable = (props.unreadable ?? []).filter((item) => !gone.has(item.id));

  async function discard(item: { id: string }) {
    try {
      await send('ui/outbox-discard', { id: item.id });
      setGone(new Set([...gone, item.id]));
      setMessage({ text: t('outboxDiscarded'), kind: 'ok' });
      props.onChanged?.();
    } catch (error) {
      setMessage({ text: errorText(error), kind: 'error' });
    }
  }

  /** Discard, with its confirmation: the same for a readable item and an unreadable one. */
  const discardButton = (item: { id: string }) => (
    <ConfirmButton
      label={t('discard')}
      question={t('discardQuestion')}
      confirmLabel={t('discardConfirm')}
      confirming={confirming === item.id}
      setConfirming={(on) => setConfirming(on ? item.id : null)}
      onConfirm={() => void discard(item)}
    />
  );

  return (
    <div data-view="outbox">
      <h3>{t('outboxTitle', String(items.length + unreadable.length))}</h3>
      {items.length + unreadable.length === 0 ? (
        <p class="muted small">{t('outboxEmpty')}</p>
      ) : (
        <ul class="plain">
          {items.map((item) => (
            <li key={item.id} data-outbox-state={item.state}>
              <p>{describeSubmission(item)}</p>
              {item.state === 'rejected' ? (
                <p class="notice error-box" data-field="outbox-error">
                  {t('outboxRefused', serverErrorText({ message: item.lastError ?? t('errorRefused'), field: item.errorField }))}
                </p>
              ) : (
                <p class="muted small">
                  {item.attempts === 0 ? t('outboxWaiting') : tPlural('pluralOutboxRetrying', item.attempts, [formatRelative(item.nextAttemptAt)])}
                  {item.lastError ? ` ${t('outboxLastError', errorText(new Error(item.lastError)))}` : ''}
                </p>
              )}
              <div class="actions">
                {props.onEdit && item.state === 'rejected' && item.submission.kind !== 'review-delete' && (
                  <button type="button" onClick={() => props.onEdit?.(item)}>
                    {t('edit')}
                  </button>
                )}
                {discardButton(item)}
              </div>
            </li>
          ))}
          {unreadable.map((item) => (
            <li key={item.id} data-outbox-state="unreadable">
              <p class="notice error-box">{t('outboxUnreadable')}</p>
              {/* A value, never markup: what is stored stays text. */}
              <textarea readOnly rows={6} class="small" aria-label={t('outboxUnreadableLabel')} value={item.raw} />
              <div class="actions">
                {discardButton(item)}
              </div>
            </li>
          ))}
        </ul>
      )}
      {!props.onEdit && items.some((item) => item.state === 'rejected') && <p class="muted small">{t('outboxEditInPopup')}</p>}
      <StatusLine message={message?.text ?? null} kind={message?.kind ?? 'info'} />
    </div>
  );
}
