/** Labelled form controls: every control has a <label for>, errors are tied by aria-describedby. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n.js';

export function Field(props: { id: string; label: string; hint?: string | null; error?: string | null; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <span id={`${props.id}-hint`} class="muted small">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={`${props.id}-error`} class="error small">
          {props.error}
        </span>
      )}
    </div>
  );
}

/** aria-describedby for a control inside <Field>. */
export function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** The "sent" / "queued" / error line after an action; announced politely. */
export function StatusLine({ message, kind }: { message: string | null; kind: 'ok' | 'error' | 'info' }) {
  return (
    <p role={kind === 'error' ? 'alert' : 'status'} aria-live={kind === 'error' ? 'assertive' : 'polite'} class={kind === 'error' ? 'error' : kind === 'ok' ? 'ok-text' : 'muted'}>
      {message ?? ''}
    </p>
  );
}

/** Ask before something that can't be undone: a button that becomes "Really? Yes / Cancel". */
export function ConfirmButton(props: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  confirming: boolean;
  setConfirming: (value: boolean) => void;
  disabled?: boolean;
}) {
  if (!props.confirming) {
    return (
      <button type="button" onClick={() => props.setConfirming(true)} disabled={props.disabled}>
        {props.label}
      </button>
    );
  }
  return (
    <span class="row" role="group" aria-label={props.question}>
      <span class="error">{props.question}</span>
      <FocusedButton
        onClick={() => {
          props.setConfirming(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel}
      </FocusedButton>
      <button type="button" onClick={() => props.setConfirming(false)}>
        {t('cancel')}
      </button>
    </span>
  );
}

/** A danger button that takes focus when it appears (once, not on every render). */
function FocusedButton({ onClick, children }: { onClick: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <button type="button" class="danger" ref={ref} onClick={onClick}>
      {children}
    </button>
  );
}

/** Every form's last lines: the error in words (announced), then send and cancel. */
export function FormFooter(props: { error: string | null; busy: boolean; sendLabel: string; disabled?: boolean; onCancel(): void }) {
  return (
    <>
      <p role="alert" class="error" data-role="form-error">
        {props.error ?? ''}
      </p>
      <div class="actions">
        <button type="submit" class="primary" disabled={props.busy || props.disabled}>
          {props.busy ? t('sending') : props.sendLabel}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </>
  );
}
