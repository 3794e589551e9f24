/**
 * Submitting a form: validate here first (same schemas as the background and server),
 * then `ui/submit`. A refusal — from this page, the background or the server — stays on
 * the form in words, with the field marked, and the next try replaces the refused item.
 */
import { useState } from 'preact/hooks';
import { Submission, type SubmissionInput } from '../../core/extension-state.js';
import { describeIssues, firstField } from '../../core/validation.js';
import { t } from '../i18n.js';
import { errorFieldOf, errorText, fieldLabel, fieldPath, send } from './send.js';

export interface ServerError {
  message: string;
  field: string | null;
}

export interface SubmitState {
  busy: boolean;
  error: string | null;
  /** The payload field the error is about (`reward`, `ratings.pay`, …), for aria-invalid. */
  field: string | null;
  /** The last refusal as it came (background or server), for forms that show every field's error. */
  refusal: ServerError | null;
  submit(submission: SubmissionInput): Promise<void>;
  fail(field: string, message: string): void;
  /** Is this field (or a part of it) the one the error names? */
  invalid(name: string): boolean;
}

/** The text of a refused outbox item, naming its field when the server gave one. */
export function serverErrorText(error: ServerError): string {
  const text = errorText(new Error(error.message));
  // `(body)`, `(url)`, `(method)`…: the request as a whole, not a field the worker can fix.
  if (!error.field || error.field.startsWith('(')) return text;
  const label = fieldLabel(error.field);
  return text.startsWith(`${label}:`) ? text : `${label}: ${text}`;
}

export function useSubmit(options: { replaces?: string; serverError?: ServerError | null; onDone: (delivered: boolean) => void }): SubmitState {
  const initial = options.serverError ?? null;
  const [replaces, setReplaces] = useState(options.replaces);
  const [error, setError] = useState<string | null>(initial ? serverErrorText(initial) : null);
  const [field, setField] = useState<string | null>(initial?.field ? fieldPath(initial.field) : null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<ServerError | null>(initial);

  async function submit(input: SubmissionInput): Promise<void> {
    const parsed = Submission.safeParse(input);
    if (!parsed.success) {
      setError(errorText(new Error(describeIssues(parsed.error))));
      setField(fieldPath(firstField(parsed.error)));
      return;
    }
    setBusy(true);
    setError(null);
    setField(null);
    setRefusal(null);
    try {
      const result = await send('ui/submit', replaces ? { submission: parsed.data, replaces } : { submission: parsed.data });
      if (result.item.state === 'rejected') {
        // The server refused it: keep the form, and replace this item on the next try.
        setReplaces(result.item.id);
        setError(serverErrorText({ message: result.item.lastError ?? t('errorRefused'), field: result.item.errorField }));
        setField(result.item.errorField ? fieldPath(result.item.errorField) : null);
        setRefusal({ message: result.item.lastError ?? t('errorRefused'), field: result.item.errorField });
      } else {
        options.onDone(result.delivered);
      }
    } catch (caught) {
      setError(errorText(caught));
      setField(errorFieldOf(caught));
      setRefusal({ message: caught instanceof Error ? caught.message : String(caught), field: errorFieldOf(caught) });
    } finally {
      setBusy(false);
    }
  }

  return {
    busy,
    error,
    field,
    refusal,
    submit,
    fail(name, message) {
      setField(name);
      setError(`${fieldLabel(name)}: ${message}`);
    },
    invalid(name) {
      return field !== null && (field === name || field.startsWith(`${name}.`));
    },
  };
}
