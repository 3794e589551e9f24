/**
 * Site access. Lantern can draw badges only on the sites the manifest's `host_permissions`
 * name, and the worker may withhold them: Firefox asks at install and lets the worker say
 * no (or revoke it later in the add-ons manager), Chrome lets them set site access to "on
 * click". Without it the content script never runs — no badges, and no error anywhere to
 * say why. This section says which sites Lantern can't read and asks for them on a click
 * (`permissions.request` must be called inside the click, where the browser counts the
 * worker's gesture). Shown only while something is missing.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { StatusLine } from '../../ui/components/fields.js';
import type { SaveStatus } from '../../ui/components/use-save-status.js';
import { t } from '../../ui/i18n.js';

/** The sites Lantern reads, as the manifest names them (`https://worker.mturk.com/*`, …). */
function siteOrigins(): string[] {
  return browser.runtime.getManifest().host_permissions ?? [];
}

/** `https://worker.mturk.com/*` → `worker.mturk.com`. */
const hostOf = (pattern: string) => pattern.replace(/^[a-z*]+:\/\//, '').replace(/\/.*$/, '');

async function missingOrigins(): Promise<string[]> {
  const origins = siteOrigins();
  const granted = await Promise.all(origins.map((origin) => browser.permissions.contains({ origins: [origin] }).catch(() => false)));
  return origins.filter((_, i) => !granted[i]);
}

export function PermissionsSection() {
  const id = useId();
  const [missing, setMissing] = useState<string[]>([]);
  const [message, setMessage] = useState<SaveStatus>(null);

  useEffect(() => {
    const refresh = () => void missingOrigins().then(setMissing, () => setMissing([]));
    refresh();
    // Granted or revoked elsewhere (the browser's own menus, another Lantern page): follow it.
    browser.permissions.onAdded.addListener(refresh);
    browser.permissions.onRemoved.addListener(refresh);
    return () => {
      browser.permissions.onAdded.removeListener(refresh);
      browser.permissions.onRemoved.removeListener(refresh);
    };
  }, []);

  function grant() {
    // No await before this call: Firefox drops the gesture otherwise.
    browser.permissions.request({ origins: missing }).then(
      async (granted) => {
        setMissing(await missingOrigins());
        setMessage(granted ? { text: t('sitesGranted'), kind: 'ok' } : { text: t('sitesRefused'), kind: 'info' });
      },
      (error: unknown) => setMessage({ text: String(error), kind: 'error' }),
    );
  }

  if (missing.length === 0 && message === null) return null;
  return (
    <section aria-labelledby={`${id}-h`} data-section="permissions">
      <h2 id={`${id}-h`}>{t('sitesTitle')}</h2>
      {missing.length > 0 && (
        <>
          <p class="notice" data-field="sites-missing">
            {t('sitesMissing', missing.map(hostOf).join(', '))}
          </p>
          <button type="button" class="primary" onClick={grant}>
            {t('sitesGrant')}
          </button>
        </>
      )}
      <StatusLine message={message?.text ?? null} kind={message?.kind ?? 'info'} />
    </section>
  );
}
