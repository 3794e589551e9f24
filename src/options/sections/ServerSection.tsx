/** The server's address: checked here, saved at once, and the browser asked for access to it. */
import { useId, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ServerUrl } from '../../core/extension-state.js';
import { Field, StatusLine, describedBy } from '../../ui/components/fields.js';
import { fieldLabel } from '../../ui/components/send.js';
import { useSaveStatus } from '../../ui/components/use-save-status.js';
import { t } from '../../ui/i18n.js';
import type { SettingsProps } from './types.js';

export function ServerSection({ settings, update }: SettingsProps) {
  const id = useId();
  const [url, setUrl] = useState(settings.serverUrl ?? '');
  const save = useSaveStatus();
  const [invalid, setInvalid] = useState(false);
  const [note, setNote] = useState<string | null>(null);

  async function commit(serverUrl: string | null) {
    const saved = await save.run(update({ serverUrl }).then(() => (serverUrl === null ? t('serverCleared') : t('serverSaved'))));
    if (!saved) setInvalid(true);
  }

  function onSubmit(event: Event) {
    event.preventDefault();
    const text = url.trim();
    setInvalid(false);
    setNote(null);
    if (text === '') return void commit(null);
    const parsed = ServerUrl.safeParse(text);
    if (!parsed.success) {
      setInvalid(true);
      save.say({ text: `${fieldLabel('serverUrl')}: ${parsed.error.issues[0]?.message ?? ''}`, kind: 'error' });
      return;
    }
    // Asked here, inside the click, while the browser still counts it as the worker's gesture.
    // Saved at once either way (the server's CORS admits the extension); the prompt may stay
    // open a while, and its answer only adds a note.
    let permission: Promise<boolean>;
    try {
      permission = browser.permissions.request({ origins: [`${new URL(text).origin}/*`] });
    } catch {
      permission = Promise.resolve(false);
    }
    void commit(text);
    void permission.catch(() => false).then((granted) => setNote(granted ? null : t('serverPermissionDenied')));
  }

  return (
    <section aria-labelledby={`${id}-h`} data-section="server">
      <h2 id={`${id}-h`}>{t('serverTitle')}</h2>
      <form onSubmit={onSubmit} noValidate>
        <Field id={`${id}-url`} label={t('fieldServerUrl')} hint={t('serverHint')}>
          <input
            id={`${id}-url`}
            type="url"
            class="wide"
            placeholder="https://"
            value={url}
            aria-invalid={invalid}
            aria-describedby={describedBy(`${id}-url`, true, null)}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="primary">
          {t('save')}
        </button>
      </form>
      <StatusLine {...save.line} />
      {note && <p class="muted small">{note}</p>}
    </section>
  );
}
