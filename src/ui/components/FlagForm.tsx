/** Flag a requester (personal data, phishing, broken task, unpaid screener) or a review. */
import { useId, useState } from 'preact/hooks';
import { REQUESTER_FLAG_REASONS, REVIEW_FLAG_REASONS, type RequesterFlagInput, type ReviewFlagInput } from '../../core/schemas.js';
import { t } from '../i18n.js';
import { Field, FormFooter } from './fields.js';
import { useSubmit, type ServerError } from './use-submit.js';

type RequesterFlagReason = (typeof REQUESTER_FLAG_REASONS)[number];
type ReviewFlagReason = (typeof REVIEW_FLAG_REASONS)[number];

const requesterFlagLabel = (reason: string) => t(`flagReason_${reason}`);
const reviewFlagLabel = (reason: string) => t(`reviewFlagReason_${reason}`);

interface Common {
  replaces?: string;
  serverError?: ServerError | null;
  onDone: (delivered: boolean) => void;
  onCancel: () => void;
}

export function FlagForm(props: Common & { requester: { key: string; name: string }; task: { taskId: string; taskTitle: string } | null; initial?: RequesterFlagInput | null }) {
  const base = useId();
  const [reason, setReason] = useState<RequesterFlagReason | null>(props.initial?.reason ?? null);
  const [note, setNote] = useState(props.initial?.note ?? '');
  const [withTask, setWithTask] = useState(props.initial ? props.initial.taskId !== undefined : props.task !== null);
  const form = useSubmit(props);
  const taskId = props.initial?.taskId ?? props.task?.taskId;

  function onSubmit(event: Event) {
    event.preventDefault();
    if (!reason) return form.fail('reason', t('errorPickReason'));
    void form.submit({
      kind: 'requester-flag',
      payload: {
        requester: props.requester.key,
        requesterName: props.requester.name,
        reason,
        ...(withTask && taskId ? { taskId } : {}),
        note,
      },
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`${base}-title`} data-form="flag">
      <h2 id={`${base}-title`}>{t('flagTitle')}</h2>
      <p>
        <span class="label">{t('fieldRequester')}: </span>
        <span data-field="requesterName">{props.requester.name}</span> <span class="muted small">({props.requester.key})</span>
      </p>
      <fieldset aria-invalid={form.invalid('reason')}>
        <legend>{t('fieldReason')}</legend>
        {REQUESTER_FLAG_REASONS.map((r) => (
          <div key={r}>
            <label class="choice">
              <input type="radio" name={`${base}-reason`} value={r} checked={reason === r} onChange={() => setReason(r)} /> {requesterFlagLabel(r)}
            </label>
          </div>
        ))}
      </fieldset>
      {taskId && (
        <label class="choice">
          <input type="checkbox" checked={withTask} onChange={(e) => setWithTask(e.currentTarget.checked)} />{' '}
          {t('flagIncludeTask', props.task?.taskTitle || taskId)}
        </label>
      )}
      <Field id={`${base}-note`} label={t('fieldNoteModerators')} error={form.invalid('note') ? form.error : null}>
        <textarea id={`${base}-note`} name="note" rows={3} value={note} aria-invalid={form.invalid('note')} onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
      <FormFooter error={form.error} busy={form.busy} sendLabel={t('sendFlag')} onCancel={props.onCancel} />
    </form>
  );
}

export function ReviewFlagForm(props: Common & { reviewId: string; about: string; initial?: ReviewFlagInput | null }) {
  const base = useId();
  const [reason, setReason] = useState<ReviewFlagReason>(props.initial?.reason ?? 'malicious_or_false');
  const [note, setNote] = useState(props.initial?.note ?? '');
  const form = useSubmit(props);

  function onSubmit(event: Event) {
    event.preventDefault();
    void form.submit({ kind: 'review-flag', payload: { reviewId: props.reviewId, reason, note } });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`${base}-title`} data-form="review-flag">
      <h2 id={`${base}-title`}>{t('reviewFlagTitle')}</h2>
      <p class="muted small">{props.about}</p>
      <Field id={`${base}-reason`} label={t('fieldReason')}>
        <select id={`${base}-reason`} value={reason} onChange={(e) => setReason(e.currentTarget.value as ReviewFlagReason)}>
          {REVIEW_FLAG_REASONS.map((r) => (
            <option key={r} value={r}>
              {reviewFlagLabel(r)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        id={`${base}-note`}
        label={t('fieldNoteModerators')}
        hint={reason === 'other' ? t('reviewFlagOtherHint') : null}
        error={form.invalid('note') ? form.error : null}
      >
        <textarea id={`${base}-note`} rows={3} value={note} aria-invalid={form.invalid('note')} onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
      <FormFooter error={form.error} busy={form.busy} sendLabel={t('sendFlag')} onCancel={props.onCancel} />
    </form>
  );
}
