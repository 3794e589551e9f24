/**
 * The options page: server, account, thresholds, blocklist and filter mode, platforms,
 * sync status (with first-snapshot progress) and the outbox, local data, diagnostics.
 * The first screen holds only what a new worker needs (server, account, thresholds, and
 * whether sync works); the rest waits under "More settings". `options.html#<section>`
 * (the welcome page's links) opens and scrolls to that section.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../core/extension-state.js';
import { OutboxList } from '../ui/components/OutboxList.js';
import { errorText, send } from '../ui/components/send.js';
import { SyncStatusView } from '../ui/components/SyncStatusView.js';
import { useStatus } from '../ui/components/use-status.js';
import { t } from '../ui/i18n.js';
import { AccountSection } from './sections/AccountSection.js';
import { AlertsSection } from './sections/AlertsSection.js';
import { BlocklistSection } from './sections/BlocklistSection.js';
import { DataSection } from './sections/DataSection.js';
import { DiagnosticsSection } from './sections/DiagnosticsSection.js';
import { PermissionsSection } from './sections/PermissionsSection.js';
import { PlatformsSection } from './sections/PlatformsSection.js';
import { ServerSection } from './sections/ServerSection.js';
import { ThresholdsSection } from './sections/ThresholdsSection.js';
import { WorkLogSection } from './sections/WorkLogSection.js';

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
  // The page shows what the worker chose while it is saved: a section's status line re-renders
  // the page before the answer, and a controlled checkbox would otherwise flip back until then.
  const update = async (patch: Partial<Settings>) => {
    setSettings((current) => (current ? { ...current, ...patch } : current));
    try {
      const next = await send('ui/settings-set', patch);
      setSettings(next);
      return next;
    } catch (error) {
      void reloadSettings();
      throw error;
    }
  };
  const reload = () => {
    setGeneration((g) => g + 1);
    void refreshStatus();
  };
  useSectionFromHash(settings !== null);
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
      <PermissionsSection />
      {settings && (
        // Keyed by generation: after clearing data, every form starts from the fresh settings.
        <div key={generation}>
          <ServerSection settings={settings} update={update} />
          <AccountSection hasAccount={status?.hasAccount ?? false} serverUrl={settings.serverUrl} onChanged={() => void refreshStatus()} />
          <ThresholdsSection settings={settings} update={update} />
        </div>
      )}
      <section aria-labelledby="sync-heading" data-section="sync">
        <h2 id="sync-heading">{t('syncTitle')}</h2>
        <SyncStatusView status={status} error={statusError} onStatus={setStatus} />
        <OutboxList items={status?.outbox ?? []} unreadable={status?.outboxUnreadable} onChanged={() => void refreshStatus()} />
      </section>
      <details class="more" data-group="more">
        <summary>
          <span class="label">{t('welcomeMoreSettings')}</span> <span class="muted small">{t('welcomeMoreSettingsList')}</span>
        </summary>
        {settings && (
          <div key={generation}>
            <BlocklistSection settings={settings} update={update} onImported={() => void reloadSettings()} />
            <PlatformsSection settings={settings} update={update} />
            <AlertsSection settings={settings} update={update} />
            <WorkLogSection settings={settings} update={update} />
          </div>
        )}
        <DataSection onCleared={reload} />
        <DiagnosticsSection refreshKey={generation} />
      </details>
      <footer>
        <p class="small">
          {/* PRIVACY.md, shipped in the extension by the build: readable with no network. */}
          <a href="privacy.txt" target="_blank" rel="noopener" data-action="open-privacy">
            {t('optionsPrivacyLink')}
          </a>
        </p>
      </footer>
    </main>
  );
}

/** `#thresholds`, `#work-log`…: opens "More settings" if the section is in it, and scrolls there. */
function useSectionFromHash(ready: boolean): void {
  useEffect(() => {
    const name = decodeURIComponent(location.hash.slice(1));
    if (!ready || !/^[a-z-]+$/.test(name)) return;
    const section = document.querySelector<HTMLElement>(`[data-section="${name}"]`);
    if (!section) return;
    const details = section.closest('details');
    if (details) details.open = true;
    section.scrollIntoView({ block: 'start' });
    // Keyboard and screen-reader users start at the section's heading.
    const heading = section.querySelector<HTMLElement>('h2');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus({ preventScroll: true });
  }, [ready]);
}
