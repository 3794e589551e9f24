/**
 * The first-run guide a new install opens: three steps (server, account, thresholds),
 * each showing where the worker stands and what to do, then the privacy promises in plain
 * words. A build that carries a server address is already syncing on step 1.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../core/extension-state.js';
import type { Currency } from '../core/rules.js';
import { StatusLine } from '../ui/components/fields.js';
import { errorText, send } from '../ui/components/send.js';
import { SyncStatusView } from '../ui/components/SyncStatusView.js';
import { useStatus } from '../ui/components/use-status.js';
import { formatMoney } from '../ui/format.js';
import { t } from '../ui/i18n.js';

const PROMISES = ['welcomePrivacyLocal', 'welcomePrivacyAccount', 'welcomePrivacyWorkLog', 'welcomePrivacyReports', 'welcomePrivacyBuckets', 'welcomePrivacyServer'];

export function Welcome() {
  const { status, error: statusError, setStatus } = useStatus();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    send('ui/settings-get', {}).then(setSettings, (e) => setError(errorText(e)));
  }, []);

  return (
    <main>
      <h1>
        <img src="icons/icon-32.png" width={24} height={24} alt="" /> {t('welcomeTitle')}
      </h1>
      <p>{t('welcomeIntro')}</p>
      {error && <StatusLine message={error} kind="error" />}
      <ol class="steps">
        <li data-step="server">
          <h2>{t('welcomeStepServer')}</h2>
          <p>{t('welcomeServerExplain')}</p>
          {status && (
            <p data-field="welcome-server">{status.serverUrl ? t('welcomeServerSet', status.serverUrl) : t('welcomeServerNone')}</p>
          )}
          {status?.serverUrl && <SyncStatusView status={status} error={statusError} onStatus={setStatus} />}
          <p>
            <a href="options.html#server">{status?.serverUrl ? t('welcomeServerChange') : t('welcomeServerAction')}</a>
          </p>
        </li>
        <li data-step="account">
          <h2>{t('welcomeStepAccount')}</h2>
          <p>{t('welcomeAccountExplain')}</p>
          {status && <p data-field="welcome-account">{status.hasAccount ? t('welcomeAccountHave') : t('welcomeAccountNone')}</p>}
          <p>
            <a href="options.html#account">{status?.hasAccount ? t('welcomeAccountManage') : t('welcomeAccountAction')}</a>
          </p>
        </li>
        <li data-step="thresholds">
          <h2>{t('welcomeStepThresholds')}</h2>
          <p>{t('welcomeThresholdsExplain')}</p>
          {settings && <p data-field="welcome-thresholds">{thresholdsInWords(settings)}</p>}
          <p>
            <a href="options.html#thresholds">{t('welcomeThresholdsAction')}</a>
            {' · '}
            <a href="rules.html">{t('rulesPageTitle')}</a>
          </p>
        </li>
      </ol>
      <section aria-labelledby="privacy-h" data-section="privacy">
        <h2 id="privacy-h">{t('welcomePrivacyTitle')}</h2>
        <ul>
          {PROMISES.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
      </section>
    </main>
  );
}

function thresholdsInWords(settings: Settings): string {
  const pay = (Object.entries(settings.thresholds.minHourlyCents) as [Currency, number][]).map(([currency, cents]) =>
    t('rulesPagePayPerHour', [formatMoney(cents, currency), currency]),
  );
  const payText = pay.length > 0 ? pay.join(', ') : t('rulesPageNoPayThreshold');
  const rating = settings.thresholds.minRating;
  return t('welcomeThresholdsNow', [payText, rating === null ? t('welcomeNoMinRating') : String(rating)]);
}
