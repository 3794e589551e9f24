/** The worker's own minimums: hourly pay per currency and a rating, below which badges warn. */
import { useId, useState } from 'preact/hooks';
import type { Currency } from '../../core/rules.js';
import { Field, StatusLine } from '../../ui/components/fields.js';
import { centsToInput, parseMoney } from '../../ui/components/format.js';
import { useSaveStatus } from '../../ui/components/use-save-status.js';
import { t } from '../../ui/i18n.js';
import type { SettingsProps } from './types.js';

const PAY_CURRENCIES: Currency[] = ['USD', 'GBP'];

export function ThresholdsSection({ settings, update }: SettingsProps) {
  const id = useId();
  const [pay, setPay] = useState<Record<string, string>>(
    Object.fromEntries(PAY_CURRENCIES.map((c) => [c, centsToInput(settings.thresholds.minHourlyCents[c])])),
  );
  const current = settings.thresholds.minRating;
  const [rating, setRating] = useState(current === null ? '' : String(current));
  const save = useSaveStatus();
  const [bad, setBad] = useState<string | null>(null);
  const ratingOptions = [...new Set([1, 2, 2.5, 3, 3.5, 4, 4.5, 5, ...(current === null ? [] : [current])])].sort((a, b) => a - b);

  function onSubmit(event: Event) {
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
        save.say({ text: t('thresholdPayInvalid', currency), kind: 'error' });
        return;
      }
      minHourlyCents[currency] = cents;
    }
    setBad(null);
    void save.run(update({ thresholds: { minHourlyCents, minRating: rating === '' ? null : Number(rating) } }).then(() => t('saved')));
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
      <form onSubmit={onSubmit} noValidate>
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
      <StatusLine {...save.line} />
    </section>
  );
}
