/**
 * What a settings section last said about a change ("Saved", or why it failed), shown by
 * `StatusLine`: the one place the options page turns a save's outcome into words, so each
 * section says only what it does and what to say when it worked.
 */
import { useState } from 'preact/hooks';
import { errorText } from './send.js';

export type SaveStatus = { text: string; kind: 'ok' | 'error' | 'info' } | null;

/** What the work resolves to: the words to show ('ok'), a status of its own, or nothing to say. */
type Outcome = string | SaveStatus | undefined | void;

export interface SaveStatusState {
  status: SaveStatus;
  /** Says something without running anything (a form refused before saving, an export made). */
  say(status: SaveStatus): void;
  /**
   * Clears the status, awaits the work (a promise, or a function started here) and shows its
   * outcome; a failure shows the error in the worker's words (or `failed`'s own). Never
   * rejects: resolves to whether the work succeeded.
   */
  run(work: Promise<Outcome> | (() => Promise<Outcome>), failed?: (words: string) => string): Promise<boolean>;
  /** True while a run is under way (buttons that must not be pressed twice). */
  busy: boolean;
  /** `StatusLine`'s props: `<StatusLine {...save.line} />`. */
  line: { message: string | null; kind: 'ok' | 'error' | 'info' };
}

export function useSaveStatus(): SaveStatusState {
  const [status, setStatus] = useState<SaveStatus>(null);
  const [busy, setBusy] = useState(false);

  async function run(work: Promise<Outcome> | (() => Promise<Outcome>), failed?: (words: string) => string): Promise<boolean> {
    setBusy(true);
    setStatus(null);
    try {
      const outcome = await (typeof work === 'function' ? work() : work);
      if (typeof outcome === 'string') setStatus({ text: outcome, kind: 'ok' });
      else if (outcome) setStatus(outcome);
      return true;
    } catch (error) {
      const words = errorText(error);
      setStatus({ text: failed ? failed(words) : words, kind: 'error' });
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { status, say: setStatus, run, busy, line: { message: status?.text ?? null, kind: status?.kind ?? 'info' } };
}
