/**
 * Write or edit a review. Prefilled from the task page (requester, task, reward, and a
 * suggested time from when the worker accepted it), from the browser-only work log (time
 * worked, outcome, days to decision), from an outbox item the server refused, or from
 * one of the worker's own reviews.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { ISSUE_TAGS, OUTCOMES, RATING_DIMENSIONS, type RatingDimension } from '../../core/schemas.js';
import { Currency, DEFAULT_REVIEW_RULES, type ReviewRules } from '../../core/rules.js';
import { formatMoney } from '../format.js';
import { t } from '../i18n.js';
import { dimensionLabel, outcomeLabel, tagLabel } from '../labels.js';
import { describedBy, Field, FormFooter } from './fields.js';
import { refusalToFields, type FieldErrors } from './form-errors.js';
import { parseMoney, parseOptionalNumber } from './format.js';
import { hourlyCents, implausiblePace, reviewFromDraft, type MinutesSource, type ReviewDraft } from './review-draft.js';
import { fieldLabel, send } from './send.js';
import { useSubmit, type ServerError } from './use-submit.js';

const TEXT_MAX = 2000;

export interface ReviewFormProps {
  draft: ReviewDraft;
  /** Editing a published review (by id) rather than writing a new one. */
  reviewId?: string | null;
  /** The outbox item this replaces, and why the server refused it. */
  replaces?: string;
  serverError?: ServerError | null;
  /** Where suggested minutes came from: the time the worker accepted the task, or the work log. */
  suggestedMinutes?: MinutesSource | boolean;
  /** Some fields came from the work log: say so, and that it stays in this browser. */
  fromWorkLog?: boolean;
  onDone: (delivered: boolean) => void;
  onCancel: () => void;
}

export function ReviewForm(props: ReviewFormProps) {
  const base = useId();
  const id = (name: string) => `${base}-${name}`;
  const [draft, setDraft] = useState<ReviewDraft>(props.draft);
  const form = useSubmit({ replaces: props.replaces, serverError: props.serverError, onDone: props.onDone });
  const set = <K extends keyof ReviewDraft>(key: K, value: ReviewDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setRating = (dim: RatingDimension, value: string) => setDraft((d) => ({ ...d, ratings: { ...d.ratings, [dim]: value } }));
  // Every problem at once, each beside its field: the form's own check (same schema as the
  // server) until the next try, then whatever the background or server refused, mapped alike.
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [confirmedHourly, setConfirmedHourly] = useState<number | null>(null);
  const serverErrors: FieldErrors = form.refusal ? refusalToFields(form.refusal.message, form.refusal.field) : {};
  const errors: FieldErrors = Object.keys(clientErrors).length ? clientErrors : serverErrors;
  const errorFor = (name: string) => errors[name] ?? null;
  const invalid = (name: string) => errorFor(name) !== null;
  const textLength = draft.text.trim().length;
  // The hourly bounds in force (published with the rules); the defaults until they are read.
  const [reviewRules, setReviewRules] = useState<ReviewRules>(DEFAULT_REVIEW_RULES);
  useEffect(() => {
    send('ui/rules', {}).then((r) => setReviewRules(r.rules.reviews), () => undefined);
  }, []);
  const pace = livePace(draft, reviewRules);

  function onSubmit(event: Event) {
    event.preventDefault();
    const result = reviewFromDraft(draft);
    const found: FieldErrors = result.ok ? {} : { ...result.errors };
    // Implausible pay for the time is asked about, not refused: a tick says "yes, really".
    if (pace && pace.hourly !== confirmedHourly && !found.minutes) found.minutes = paceWords(pace);
    setClientErrors(found);
    if (!result.ok || Object.keys(found).length) return;
    void form.submit(
      props.reviewId ? { kind: 'review-edit', reviewId: props.reviewId, payload: result.payload } : { kind: 'review', payload: result.payload },
    );
  }

  const input = (name: keyof ReviewDraft & string, label: string, options: { hint?: string | null; cls?: string; inputMode?: 'decimal' | 'numeric'; errorName?: string } = {}) => {
    const errorName = options.errorName ?? name;
    return (
      <Field id={id(name)} label={label} hint={options.hint} error={errorFor(errorName)}>
        <input
          id={id(name)}
          name={name}
          type="text"
          class={options.cls}
          inputMode={options.inputMode}
          value={draft[name] as string}
          aria-invalid={invalid(errorName)}
          aria-describedby={describedBy(id(name), options.hint, errorFor(errorName))}
          onInput={(e) => set(name, e.currentTarget.value)}
        />
      </Field>
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={id('title')} data-form="review">
      <h2 id={id('title')}>{props.reviewId ? t('reviewEditTitle') : t('reviewWriteTitle')}</h2>
      <p>
        <span class="label">{t('fieldRequester')}: </span>
        <span data-field="requesterName">{draft.requesterName}</span> <span class="muted small">({draft.requester})</span>
      </p>
      {props.fromWorkLog && (
        <p class="muted small" data-field="from-work-log">
          {t('popupPrefilledFromLog')}
        </p>
      )}
      {input('taskTitle', t('fieldTaskTitle'), { cls: 'wide' })}
      {input('taskId', t('fieldTaskId'), { cls: 'wide' })}
      <div class="row">
        {input('reward', t('fieldRewardAmount'), { cls: 'short', inputMode: 'decimal' })}
        <Field id={id('currency')} label={t('fieldCurrency')}>
          <select id={id('currency')} name="currency" value={draft.currency} onChange={(e) => set('currency', e.currentTarget.value as Currency)}>
            {Currency.options.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </Field>
        {input('bonus', t('fieldBonusAmount'), { cls: 'short', inputMode: 'decimal', errorName: 'bonusCents' })}
      </div>
      <div class="row">
        {input('minutes', t('fieldMinutes'), {
          cls: 'short',
          inputMode: 'decimal',
          hint: props.suggestedMinutes === 'work-log' ? t('popupMinutesFromLog') : props.suggestedMinutes ? t('minutesSuggested') : null,
        })}
        {pace && (
          <label class="choice" data-field="pace-confirm">
            <input type="checkbox" checked={confirmedHourly === pace.hourly} onChange={(e) => setConfirmedHourly(e.currentTarget.checked ? pace.hourly : null)} />{' '}
            {t('formPaceConfirm', [draft.minutes.trim(), formatMoney(Math.round(pace.hourly), draft.currency)])}
          </label>
        )}
        {input('daysToDecision', t('fieldDaysToDecision'), { cls: 'short', inputMode: 'decimal', hint: t('daysToDecisionHint') })}
      </div>
      <fieldset aria-describedby={invalid('finished') ? `${id('finished')}-error` : undefined}>
        <legend>{t('fieldFinished')}</legend>
        <label class="choice">
          <input type="radio" name={id('finished')} checked={draft.finished === true} onChange={() => set('finished', true)} /> {t('yes')}
        </label>
        <label class="choice">
          <input type="radio" name={id('finished')} checked={draft.finished === false} onChange={() => set('finished', false)} /> {t('no')}
        </label>
        {invalid('finished') && (
          <span id={`${id('finished')}-error`} class="error small">
            {errorFor('finished')}
          </span>
        )}
      </fieldset>
      <Field id={id('outcome')} label={t('fieldOutcome')}>
        <select id={id('outcome')} name="outcome" value={draft.outcome} onChange={(e) => set('outcome', e.currentTarget.value as ReviewDraft['outcome'])}>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {outcomeLabel(o)}
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>{t('ratingsLegend')}</legend>
        <div class="row">
          {RATING_DIMENSIONS.map((dim) => (
            <Field key={dim} id={id(`rating-${dim}`)} label={dimensionLabel(dim)} error={errorFor(`ratings.${dim}`)}>
              <select
                id={id(`rating-${dim}`)}
                name={`rating-${dim}`}
                value={draft.ratings[dim]}
                aria-invalid={invalid(`ratings.${dim}`)}
                onChange={(e) => setRating(dim, e.currentTarget.value)}
              >
                <option value="">{t('ratingNa')}</option>
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n} value={String(n)}>
                    {t(`ratingOption${n}`)}
                  </option>
                ))}
              </select>
            </Field>
          ))}
        </div>
      </fieldset>
      <Field id={id('text')} label={t('fieldReviewText')} error={errorFor('text')}>
        <textarea
          id={id('text')}
          name="text"
          rows={5}
          value={draft.text}
          aria-invalid={invalid('text') || textLength > TEXT_MAX}
          aria-describedby={[`${id('text')}-count`, invalid('text') ? `${id('text')}-error` : ''].filter(Boolean).join(' ')}
          onInput={(e) => set('text', e.currentTarget.value)}
        />
        <span id={`${id('text')}-count`} class={textLength > TEXT_MAX ? 'counter over' : 'counter'}>
          {t('textCounter', [String(textLength), String(TEXT_MAX)])}
        </span>
      </Field>
      <fieldset>
        <legend>{t('fieldTags')}</legend>
        {ISSUE_TAGS.map((tag) => (
          <label key={tag} class="choice">
            <input
              type="checkbox"
              name="tags"
              value={tag}
              checked={draft.tags.includes(tag)}
              onChange={(e) => set('tags', e.currentTarget.checked ? [...draft.tags, tag] : draft.tags.filter((x) => x !== tag))}
            />{' '}
            {tagLabel(tag)}
          </label>
        ))}
      </fieldset>
      <FormFooter error={Object.keys(clientErrors).length ? summary(clientErrors) : form.error} busy={form.busy} sendLabel={props.reviewId ? t('saveChanges') : t('sendReview')} disabled={textLength > TEXT_MAX} onCancel={props.onCancel} />
    </form>
  );
}

/** The pay per hour the typed reward and time give, when beyond the published bounds. */
function livePace(draft: ReviewDraft, rules: ReviewRules): { hourly: number; kind: 'high' | 'low' } | null {
  const cents = parseMoney(draft.reward);
  const bonus = draft.bonus.trim() === '' ? 0 : parseMoney(draft.bonus);
  const minutes = parseOptionalNumber(draft.minutes);
  if (cents === null || bonus === null || minutes === null || Number.isNaN(minutes)) return null;
  const payload = { reward: { cents, currency: draft.currency }, bonusCents: bonus, minutes };
  const kind = implausiblePace(payload, rules);
  const hourly = hourlyCents(payload);
  return kind && hourly !== null ? { hourly, kind } : null;
}

function paceWords(pace: { hourly: number; kind: 'high' | 'low' }): string {
  return t(pace.kind === 'high' ? 'formPaceHigh' : 'formPaceLow');
}

/** The footer's line: every field's problem, named, so a screen reader hears them all at once. */
function summary(errors: FieldErrors): string {
  return Object.entries(errors)
    .map(([field, message]) => {
      const label = fieldLabel(field);
      // A label that is a question ("Did you finish the task?") reads badly before a colon.
      return label.endsWith('?') ? `${label} ${message.charAt(0).toLocaleUpperCase()}${message.slice(1)}.` : `${label}: ${message}`;
    })
    .join(' · ');
}
