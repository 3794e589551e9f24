/** Options sections: server address, account, thresholds, platforms, local data, diagnostics. */
import { useEffect, useId, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ServerUrl, type Settings } from '../core/extension-state.js';
import type { Currency } from '../core/rules.js';
import { ConfirmButton, Field, StatusLine, describedBy } from '../ui/components/fields.js';
import { centsToInput, parseMoney } from '../ui/components/format.js';
import { errorText, fieldLabel, send } from '../ui/components/send.js';
import { t } from '../ui/i18n.js';

export type Message = { text: string; kind: 'ok' | 'error' | 'info' } | null;
export type Update = (patch: Partial<Settings>) => Promise<Settings>;

export function ServerSection({ settings, update }: { settings: Settings; update: Update }) {
  const id = useId();
  const [url, setUrl] = useState(settings.serverUrl ?? '');
  const [message, setMessage] = useState<Message>(null);
  const [invalid, setInvalid] = useState(false);

  const [note, setNote] = useState<string | null>(null);

  async function commit(serverUrl: string | null) {
    try {
      await update({ serverUrl });
      setMessage({ text: serverUrl === null ? t('serverCleared') : t('serverSaved'), kind: 'ok' });
    } catch (error) {
      setInvalid(true);
      setMessage({ text: errorText(error), kind: 'error' });
    }
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
      setMessage({ text: `${fieldLabel('serverUrl')}: ${parsed.error.issues[0]?.message ?? ''}`, kind: 'error' });
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
      <StatusLine message={message?.text ?? null} kind={message?.kind ?? 'info'} />
      {note && <p class="muted small">{note}</p>}
    </section>
  );
}

export function AccountSection(props: { hasAccount: boolean; serverUrl: string | null; onChanged: () => void }) {
  const { serverUrl, onChanged } = props;
  const id = useId();
  // Known at once after creating or restoring, before the next status poll says so.
  const [made, setMade] = useState(false);
  const hasAccount = props.hasAccount || made;
  const [code, setCode] = useState<{ value: string; fresh: boolean } | null>(null);
  const [restore, setRestore] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setMessage(null);
    try {
      await action();
    } catch (error) {
      setMessage({ text: errorText(error), kind: 'error' });
    } finally {
      setBusy(false);
    }
  }
  const create = () =>
    run(async () => {
      const { recoveryCode } = await send('ui/account-create', {});
      setCode({ value: recoveryCode, fresh: true });
      setMade(true);
      setMessage({ text: t('accountCreated'), kind: 'ok' });
      onChanged();
    });
  const show = () =>
    run(async () => {
      const { recoveryCode } = await send('ui/account-get', {});
      if (recoveryCode) setCode({ value: recoveryCode, fresh: false });
      else setMessage({ text: t('accountNone'), kind: 'info' });
    });
  const doRestore = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      await send('ui/account-restore', { recoveryCode: restore.trim() });
      setRestore('');
      setCode(null);
      setMade(true);
      setMessage({ text: t('accountRestored'), kind: 'ok' });
      onChanged();
    });
  };
  async function copy() {
    if (!code) return;
    try {
      await navigator.clipboard.writeText(code.value);
      setMessage({ text: t('copied'), kind: 'ok' });
    } catch {
      setMessage({ text: t('copyFailed'), kind: 'error' });
    }
  }

  return (
    <section aria-labelledby={`${id}-h`} data-section="account">
      <h2 id={`${id}-h`}>{t('accountTitle')}</h2>
      <p>{hasAccount ? t('accountHave') : t('accountExplain')}</p>
      {!serverUrl && <p class="muted small">{t('accountNeedsServer')}</p>}
      <div class="actions">
        {!hasAccount && (
          <button type="button" class="primary" disabled={busy || !serverUrl} onClick={() => void create()}>
            {t('accountCreate')}
          </button>
        )}
        {hasAccount && (
          <button type="button" disabled={busy} onClick={() => void show()}>
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
            <button type="button" onClick={() => void copy()}>
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
        <button type="submit" disabled={busy || restore.trim() === ''}>
          {t('accountRestore')}
        </button>
      </form>
      <StatusLine message={message?.text ?? null} kind={message?.kind ?? 'info'} />
    </section>
  );
}

const PAY_CURRENCIES: Currency[] = ['USD', 'GBP'];

export function ThresholdsSection({ settings, update }: { settings: Settings; update: Update }) {
  const id = useId();
  const [pay, setPay] = useState<Record<string, string>>(
    Object.fromEntries(PAY_CURRENCIES.map((c) => [c, centsToInput(settings.thresholds.minHourlyCents[c])])),
  );
  const current = settings.thresholds.minRating;
  const [rating, setRating] = useState(current === null ? '' : String(current));
  const [message, setMessage] = useState<Message>(null);
  const [bad, setBad] = useState<string | null>(null);
  const ratingOptions = [...new Set([1, 2, 2.5, 3, 3.5, 4, 4.5, 5, ...(current === null ? [] : [current])])].sort((a, b) => a - b);

  async function onSubmit(event: Event) {
    event.preventDefault();
    const minHourlyCents = { ...settings.thresholds.minHourlyCents };
    for (const currency of PAY_CURRENCIES) {
      const text = pay[currency] ?? '';
      if (text.trim() === '') {
        delete minHourlyCents[currency];
        continue;
      }
      const cents = parseMoney(text);
      if (cents === null) {
        setBad(currency);
        setMessage({ text: t('thresholdPayInvalid', currency), kind: 'error' });
        return;
      }
      minHourlyCents[currency] = cents;
    }
    setBad(null);
    try {
      await update({ thresholds: { minHourlyCents, minRating: rating === '' ? null : Number(rating) } });
      setMessage({ text: t('saved'), kind: 'ok' });
    } catch (error) {
      setMessage({ text: errorText(error), kind: 'error' });
    }
  }

  return (
    <section aria-labelledby={`${id}-h`} data-section="thresholds">
      <h2 id={`${id}-h`}>{t('thresholdsTitle')}</h2>
      <p class="muted small">{t('thresholdsExplain')}</p>
      <p class="small">
        <a href="rules.html" target="_blank" rel="noopener" data-action="open-rules">
          {t('rulesPageTitle')}
        </a>
      </p>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <div class="row">
          {PAY_CURRENCIES.map((currency) => (
            <Field key={currency} id={`${id}-${currency}`} label={t('thresholdPay', currency)}>
              <input
                id={`${id}-${currency}`}
                name={`minHourly-${currency}`}
                type="text"
                inputMode="decimal"
                class="short"
                value={pay[currency]}
                aria-invalid={bad === currency}
                onInput={(e) => setPay({ ...pay, [currency]: e.currentTarget.value })}
              />
            </Field>
          ))}
          <Field id={`${id}-rating`} label={t('thresholdRating')}>
            <select id={`${id}-rating`} name="minRating" value={rating} onChange={(e) => setRating(e.currentTarget.value)}>
              <option value="">{t('thresholdRatingNone')}</option>
              {ratingOptions.map((n) => (
                <option key={n} value={String(n)}>
                  {String(n)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <button type="submit" class="primary">
          {t('save')}
        </button>
      </form>
      <StatusLine message={message?.text ?? null} kind={message?.kind ?? 'info'} />
    </section>
  );
}

export function PlatformsSection({ settings, update }: { settings: Settings; update: Update }) {
  const id = useId();
  const [message, setMessage] = useState<Message>(null);
  async function toggle(platform: 'mturk' | 'prolific', on: boolean) {
    try {
      await update({ platforms: { ...settings.platforms, [platform]: on } });
      setMessage({ text: t('saved'), kind: 'ok' });
    } catch (error) {
      setMessage({ text: errorText(error), kind: 'error' });
    }
  }
  return (
    <section aria-labelledby={`${id}-h`} data-section="platforms">
      <h2 id={`${id}-h`}>{t('platformsTitle')}</h2>
      {(['mturk', 'prolific'] as const).map((platform) => (
        <div key={platform}>
          <label class="choice">
            <input type="checkbox" name={`platform-${platform}`} checked={settings.platforms[platform]} onChange={(e) => void toggle(platform, e.currentTarget.checked)} />{' '}
            {t(`platform_${platform}`)}
          </label>
        </div>
      ))}
      <StatusLine message={message?.text ?? null} kind={message?.kind ?? 'info'} />
    </section>
  );
}

export function DataSection({ onCleared }: { onCleared: () => void }) {
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  async function clear() {
    try {
      await send('ui/clear-local-data', {});
      setMessage({ text: t('localDataCleared'), kind: 'ok' });
      onCleared();
    } catch (error) {
      setMessage({ text: errorText(error), kind: 'error' });
    }
  }
  return (
    <section aria-labelledby={`${id}-h`} data-section="data">
      <h2 id={`${id}-h`}>{t('dataTitle')}</h2>
      <p class="muted small">{t('dataExplain')}</p>
      <ConfirmButton
        label={t('clearLocalData')}
        question={t('clearLocalDataQuestion')}
        confirmLabel={t('clearLocalDataConfirm')}
        confirming={confirming}
        setConfirming={setConfirming}
        onConfirm={() => void clear()}
      />
      <StatusLine message={message?.text ?? null} kind={message?.kind ?? 'info'} />
    </section>
  );
}

export function DiagnosticsSection({ refreshKey }: { refreshKey: number }) {
  const id = useId();
  const [counts, setCounts] = useState<Record<string, number> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    send('ui/diagnostics', {}).then(
      (d) => {
        setCounts(d.counts);
        setError(null);
      },
      (e) => setError(errorText(e)),
    );
  useEffect(() => void load(), [refreshKey]);
  const rows = Object.entries(counts ?? {}).map(([key, count]) => {
    const [platform = '', page = '', problem = ''] = key.split('/');
    return { key, platform, page, problem, count };
  });
  return (
    <section aria-labelledby={`${id}-h`} data-section="diagnostics">
      <h2 id={`${id}-h`}>{t('diagnosticsTitle')}</h2>
      <p class="muted small">{t('diagnosticsExplain')}</p>
      {error && <p class="error">{error}</p>}
      {counts && rows.length === 0 && <p class="muted small">{t('diagnosticsNone')}</p>}
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('diagPlatform')}</th>
              <th scope="col">{t('diagPage')}</th>
              <th scope="col">{t('diagProblem')}</th>
              <th scope="col">{t('diagCount')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-diagnostic={row.key}>
                <td>{t(`platform_${row.platform}`) === `platform_${row.platform}` ? row.platform : t(`platform_${row.platform}`)}</td>
                <td>{row.page}</td>
                <td>{t(`problem_${row.problem}`) === `problem_${row.problem}` ? row.problem : t(`problem_${row.problem}`)}</td>
                <td>{String(row.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="actions">
        <button type="button" onClick={() => void load()}>
          {t('refresh')}
        </button>
      </div>
    </section>
  );
}
