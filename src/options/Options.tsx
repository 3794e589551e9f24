/**
 * The options page: server, account, thresholds, blocklist and filter mode, platforms,
 * sync status (with first-snapshot progress) and the outbox, local data, diagnostics.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../core/extension-state.js';
import { OutboxList } from '../ui/components/OutboxList.js';
import { errorText, send } from '../ui/components/send.js';
import { SyncStatusView } from '../ui/components/SyncStatusView.js';
import { useStatus } from '../ui/components/use-status.js';
import { t } from '../ui/i18n.js';
import { AlertsSection } from './AlertsSection.js';
import { BlocklistSection } from './BlocklistSection.js';
import { WorkLogSection } from './WorkLogSection.js';
import { AccountSection, DataSection, DiagnosticsSection, PlatformsSection, ServerSection, ThresholdsSection } from './sections.js';

export function Options() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [settingsError, setSettingsError] = useState<string | null>(null);
  // Bumped after "clear local data": every section starts again from what is stored.
  const [generation, setGeneration] = useState(0);
  const { status, error: statusError, setStatus } = useStatus();

  useEffect(() => {
    send('ui/settings-get', {}).then(
      (s) => {
        setSettings(s);
        setSettingsError(null);
      },
      (e) => setSettingsError(errorText(e)),
    );
  }, [generation]);

  const refreshStatus = () => send('ui/status', {}).then(setStatus, () => undefined);
  const update = async (patch: Partial<Settings>) => {
    const next = await send('ui/settings-set', patch);
    setSettings(next);
    return next;
  };
  const reload = () => {
    setGeneration((g) => g + 1);
    void refreshStatus();
  };
  const reloadSettings = () => send('ui/settings-get', {}).then(setSettings, (e) => setSettingsError(errorText(e)));

  return (
    <main>
      <h1>
        <img src="icons/icon-32.png" width={24} height={24} alt="" /> {t('optionsTitle')}
      </h1>
      {settingsError && (
        <p class="notice error-box" role="alert">
          {t('settingsUnavailable', settingsError)}
        </p>
      )}
      {settings && (
        // Keyed by generation: after clearing data, every form starts from the fresh settings.
        <div key={generation}>
          <ServerSection settings={settings} update={update} />
          <AccountSection hasAccount={status?.hasAccount ?? false} serverUrl={settings.serverUrl} onChanged={() => void refreshStatus()} />
          <ThresholdsSection settings={settings} update={update} />
          <BlocklistSection settings={settings} update={update} onImported={() => void reloadSettings()} />
          <PlatformsSection settings={settings} update={update} />
          <AlertsSection settings={settings} update={update} />
          <WorkLogSection settings={settings} update={update} />
        </div>
      )}
      <section aria-labelledby="sync-heading">
        <h2 id="sync-heading">{t('syncTitle')}</h2>
        <SyncStatusView status={status} error={statusError} onStatus={setStatus} />
        <OutboxList items={status?.outbox ?? []} onChanged={() => void refreshStatus()} />
      </section>
      <DataSection onCleared={reload} />
      <DiagnosticsSection refreshKey={generation} />
    </main>
  );
}
