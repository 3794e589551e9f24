/**
 * Suspect-task alerts: the popup banner always shows a match; a browser notification too
 * when the worker wants it and the browser allows it. Turning it on asks for the
 * (optional) notifications permission in the same click.
 */
import { useId, useState } from 'preact/hooks';
import type { Settings } from '../core/extension-state.js';
import { StatusLine } from '../ui/components/fields.js';
import { useNotificationPermission } from '../ui/components/notification-permission.js';
import { errorText } from '../ui/components/send.js';
import { t } from '../ui/i18n.js';
import type { Message, Update } from './sections.js';

export function AlertsSection({ settings, update }: { settings: Settings; update: Update }) {
  const id = useId();
  const [message, setMessage] = useState<Message>(null);
  const [granted, requestPermission] = useNotificationPermission();

  function toggle(on: boolean) {
    // Asked first, inside the click: browsers grant optional permissions only on a gesture.
    const asked = on && granted !== true ? requestPermission() : Promise.resolve(granted === true);
    // Saved at once, not after the browser's question is answered.
    const saved = update({ alerts: { ...settings.alerts, notify: on } });
    void Promise.all([saved, asked]).then(
      ([, allowed]) => setMessage({ text: !on ? t('saved') : allowed ? t('suspectNotifyOn') : t('suspectNotifyRefused'), kind: on && !allowed ? 'info' : 'ok' }),
      (error) => setMessage({ text: errorText(error), kind: 'error' }),
    );
  }

  return (
    <section aria-labelledby={`${id}-h`} data-section="alerts">
      <h2 id={`${id}-h`}>{t('suspectAlertsTitle')}</h2>
      <p class="muted small">{t('suspectAlertsExplain')}</p>
      <label class="choice">
        <input type="checkbox" name="alerts-notify" checked={settings.alerts.notify} onChange={(e) => toggle(e.currentTarget.checked)} /> {t('suspectAlertsNotify')}
      </label>
      {settings.alerts.notify && granted === false && (
        <p class="small">
          {t('suspectAlertsNotGranted')}{' '}
          <button type="button" onClick={() => void requestPermission().then((ok) => setMessage(ok ? { text: t('suspectNotifyOn'), kind: 'ok' } : { text: t('suspectNotifyRefused'), kind: 'info' }))}>
            {t('suspectTurnOnNotifications')}
          </button>
        </p>
      )}
      <StatusLine message={message?.text ?? null} kind={message?.kind ?? 'info'} />
    </section>
  );
}
