/**
 * Suspect-task alerts: the popup banner always shows a match; a browser notification too
 * when the worker wants it and the browser allows it. Turning it on asks for the
 * (optional) notifications permission in the same click.
 */
import { useId } from 'preact/hooks';
import { StatusLine } from '../../ui/components/fields.js';
import { useNotificationPermission } from '../../ui/components/notification-permission.js';
import { useSaveStatus, type SaveStatus } from '../../ui/components/use-save-status.js';
import { t } from '../../ui/i18n.js';
import type { SettingsProps } from './types.js';

/** What to say once notifications were asked for: on, or refused by the browser. */
const permissionWords = (allowed: boolean): SaveStatus => (allowed ? { text: t('suspectNotifyOn'), kind: 'ok' } : { text: t('suspectNotifyRefused'), kind: 'info' });

export function AlertsSection({ settings, update }: SettingsProps) {
  const id = useId();
  const save = useSaveStatus();
  const [granted, requestPermission] = useNotificationPermission();

  function toggle(on: boolean) {
    // Asked first, inside the click: browsers grant optional permissions only on a gesture.
    const asked = on && granted !== true ? requestPermission() : Promise.resolve(granted === true);
    // Saved at once, not after the browser's question is answered.
    const saved = update({ alerts: { ...settings.alerts, notify: on } });
    void save.run(Promise.all([saved, asked]).then(([, allowed]) => (on ? permissionWords(allowed) : t('saved'))));
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
          <button type="button" onClick={() => void save.run(requestPermission().then(permissionWords))}>
            {t('suspectTurnOnNotifications')}
          </button>
        </p>
      )}
      <StatusLine {...save.line} />
    </section>
  );
}
