/** The pseudonymous account: create one, show its recovery code, restore one from a code. */
import { useId, useState } from 'preact/hooks';
import { Field, StatusLine, describedBy } from '../../ui/components/fields.js';
import { send } from '../../ui/components/send.js';
import { useSaveStatus } from '../../ui/components/use-save-status.js';
import { t } from '../../ui/i18n.js';

export function AccountSection(props: { hasAccount: boolean; serverUrl: string | null; onChanged: () => void }) {
  const { serverUrl, onChanged } = props;
  const id = useId();
  // Known at once after creating or restoring, before the next status poll says so.
  const [made, setMade] = useState(false);
  const hasAccount = props.hasAccount || made;
  const [code, setCode] = useState<{ value: string; fresh: boolean } | null>(null);
  const [restore, setRestore] = useState('');
  const save = useSaveStatus();

  const create = () =>
    save.run(async () => {
      const { recoveryCode } = await send('ui/account-create', {});
      setCode({ value: recoveryCode, fresh: true });
      setMade(true);
      onChanged();
      return t('accountCreated');
    });
  const show = () =>
    save.run(async () => {
      const { recoveryCode } = await send('ui/account-get', {});
      if (!recoveryCode) return { text: t('accountNone'), kind: 'info' };
      setCode({ value: recoveryCode, fresh: false });
    });
  const doRestore = (event: Event) => {
    event.preventDefault();
    void save.run(async () => {
      await send('ui/account-restore', { recoveryCode: restore.trim() });
      setRestore('');
      setCode(null);
      setMade(true);
      onChanged();
      return t('accountRestored');
    });
  };
  const copy = (value: string) =>
    save.run(
      async () => {
        await navigator.clipboard.writeText(value);
        return t('copied');
      },
      () => t('copyFailed'),
    );

  return (
    <section aria-labelledby={`${id}-h`} data-section="account">
      <h2 id={`${id}-h`}>{t('accountTitle')}</h2>
      <p>{hasAccount ? t('accountHave') : t('accountExplain')}</p>
      {!serverUrl && <p class="muted small">{t('accountNeedsServer')}</p>}
      <div class="actions">
        {!hasAccount && (
          <button type="button" class="primary" disabled={save.busy || !serverUrl} onClick={() => void create()}>
            {t('accountCreate')}
          </button>
        )}
        {hasAccount && (
          <button type="button" disabled={save.busy} onClick={() => void show()}>
            {t('accountShowCode')}
          </button>
        )}
      </div>
      {code && (
        <div class="notice warn" data-field="recovery-code-box">
          <p class="label">{code.fresh ? t('recoveryCodeOnce') : t('recoveryCodeLabel')}</p>
          <p class="code" data-field="recovery-code">
            {code.value}
          </p>
          <p class="small">{t('recoveryCodeWarning')}</p>
          <div class="actions">
            <button type="button" onClick={() => void copy(code.value)}>
              {t('copy')}
            </button>
            <button type="button" onClick={() => setCode(null)}>
              {t('hide')}
            </button>
          </div>
        </div>
      )}
      <form onSubmit={doRestore} noValidate>
        <Field id={`${id}-restore`} label={t('fieldRecoveryCode')} hint={hasAccount ? t('restoreReplaces') : t('restoreHint')}>
          <input
            id={`${id}-restore`}
            type="text"
            class="wide"
            autocomplete="off"
            spellcheck={false}
            value={restore}
            aria-describedby={describedBy(`${id}-restore`, true, null)}
            onInput={(e) => setRestore(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" disabled={save.busy || restore.trim() === ''}>
          {t('accountRestore')}
        </button>
      </form>
      <StatusLine {...save.line} />
    </section>
  );
}
