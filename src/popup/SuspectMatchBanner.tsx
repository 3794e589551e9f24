/**
 * The suspect-match banner (issue 11, item 5): leads the popup's home when a task of the
 * worker's own log is one a replicated incident names. Found in this browser; nothing
 * about it is sent. In words (icon + text, not colour alone): which task, which
 * requester, when the worker did it, how many workers reported suspensions, confirmed or
 * under investigation, and what to do now — keep their own records, export the work log.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import type { SuspectMatch } from '../core/work-log.js';
import { StatusLine } from '../ui/components/fields.js';
import { formatDateTime } from '../ui/format.js';
import { useNotificationPermission } from '../ui/components/notification-permission.js';
import { saveFile } from '../ui/components/save-file.js';
import { errorText, send } from '../ui/components/send.js';
import { t, tPlural } from '../ui/i18n.js';
import { LevelIcon } from '../ui/level-icon.js';

type Message = { text: string; kind: 'ok' | 'error' | 'info' } | null;

function MatchItem({ match, onDismiss }: { match: SuspectMatch; onDismiss: () => void }) {
  const confirmed = match.state === 'confirmed';
  return (
    <li class="suspect-match" data-suspect-match={match.id}>
      <p>
        <strong>{t('suspectBannerTask', [match.taskTitle || match.taskId, match.taskId])}</strong>
      </p>
      <p>{t('suspectBannerRequester', [match.requesterName || match.requester, match.requester])}</p>
      <p>{t('suspectBannerWorked', formatDateTime(match.workedAt))}</p>
      <p>{tPlural('pluralSuspectBannerAccounts', match.accounts)}</p>
      <p data-suspect-state={match.state}>
        <LevelIcon level={confirmed ? 'danger' : 'caution'} size={14} /> {t(confirmed ? 'suspectStateConfirmed' : 'suspectStateInvestigating')}
      </p>
      <button type="button" onClick={onDismiss} aria-label={t('suspectDismissAria', match.taskTitle || match.taskId)}>
        {t('suspectDismiss')}
      </button>
    </li>
  );
}

export function SuspectMatchBanner() {
  const id = useId();
  const [matches, setMatches] = useState<SuspectMatch[]>([]);
  const [message, setMessage] = useState<Message>(null);
  const [granted, requestPermission] = useNotificationPermission();

  const load = () =>
    send('ui/suspect-matches', {}).then(
      (reply) => setMatches(reply.matches),
      (error) => setMessage({ text: errorText(error), kind: 'error' }),
    );
  useEffect(() => void load(), []);

  const shown = matches.filter((m) => !m.dismissed);
  if (shown.length === 0) return message ? <StatusLine message={message.text} kind={message.kind} /> : null;

  async function dismiss(match: SuspectMatch) {
    try {
      await send('ui/suspect-match-dismiss', { id: match.id });
      setMessage({ text: t('suspectDismissed', match.taskTitle || match.taskId), kind: 'ok' });
      await load();
    } catch (error) {
      setMessage({ text: errorText(error), kind: 'error' });
    }
  }

  async function exportLog() {
    try {
      const file = await send('ui/work-log-export', { format: 'csv' });
      saveFile(file.filename, file.mime, file.text);
      setMessage({ text: t('suspectExported', file.filename), kind: 'ok' });
    } catch (error) {
      setMessage({ text: errorText(error), kind: 'error' });
    }
  }

  function turnOnNotifications() {
    // The request must start in the click itself (a user gesture), before any await.
    void requestPermission().then((ok) => setMessage(ok ? { text: t('suspectNotifyOn'), kind: 'ok' } : { text: t('suspectNotifyRefused'), kind: 'info' }));
  }

  return (
    <section class="notice error-box suspect-banner" aria-labelledby={`${id}-h`} data-banner="suspect-matches">
      <h2 id={`${id}-h`}>
        <LevelIcon level="danger" size={16} /> {t('suspectBannerTitle')}
      </h2>
      {/* Announced when the popup opens on it; the details follow in reading order. */}
      <p role="alert">{tPlural('pluralSuspectBannerIntro', shown.length)}</p>
      {/* Task ids are long unbroken words: let them wrap inside the popup's width. */}
      <ul style={{ overflowWrap: 'anywhere' }}>
        {shown.map((match) => (
          <MatchItem key={match.id} match={match} onDismiss={() => void dismiss(match)} />
        ))}
      </ul>
      <h3>{t('suspectWhatNow')}</h3>
      <p>{t('suspectAdvice')}</p>
      <p class="small">{t('suspectPrivate')}</p>
      <div class="row">
        <button type="button" class="primary" onClick={() => void exportLog()}>
          {t('suspectExport')}
        </button>
        {granted === false && (
          <button type="button" onClick={turnOnNotifications}>
            {t('suspectTurnOnNotifications')}
          </button>
        )}
      </div>
      <StatusLine message={message?.text ?? null} kind={message?.kind ?? 'info'} />
    </section>
  );
}
