/**
 * What every view of the moderation page shares: the API call, the loading of one page of
 * a queue, the pager, the loading/error line and the action form (a reason is required).
 */
import type { ComponentChildren, VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EndpointName, ResponseOf } from '../core/moderation-endpoints.js';
import type { Me, Page } from '../core/moderation-protocol.js';
import type { Rules } from '../core/rules.js';
import type { CallInput } from './api.js';
import { count, counted } from './words.js';

export const PER_PAGE = 50;

/** Calls one endpoint of the catalogue (core/moderation-endpoints.ts) as the signed-in moderator. */
export type Api = <N extends EndpointName>(name: N, input?: CallInput<N>) => Promise<ResponseOf<N>>;

export interface Ctx {
  api: Api;
  me: Me;
  rules: Rules;
  /** After an action: reload the queue and the counts. */
  changed(message: string): void;
}

/** Reads one endpoint whenever what it is called with (filters, page) or `version` changes. */
export function useLoad<N extends EndpointName>(
  ctx: Ctx,
  name: N,
  input: CallInput<N>,
  version: number,
): { data: ResponseOf<N> | null; error: string | null; loading: boolean } {
  const [state, setState] = useState<{ data: ResponseOf<N> | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  const key = JSON.stringify(input);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    ctx.api(name, input).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: Error) => live && setState({ data: null, error: error.message, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [name, key, version]);
  return state;
}

export function Pager(props: { page: Page<unknown>; onPage(page: number): void; label: string }) {
  const pages = Math.max(1, Math.ceil(props.page.total / props.page.perPage));
  return (
    <nav class="pager" aria-label={`${props.label} pages`}>
      <button type="button" class="secondary" disabled={props.page.page <= 1} onClick={() => props.onPage(props.page.page - 1)}>
        Previous
      </button>
      <span data-field="page-info">
        Page {props.page.page} of {count(pages)} ({counted(props.page.total, 'item', 'items')})
      </span>
      <button type="button" class="secondary" disabled={props.page.page >= pages} onClick={() => props.onPage(props.page.page + 1)}>
        Next
      </button>
    </nav>
  );
}

/**
 * One page of a queue: the loading line, the pager, the queue's words when it is empty, and
 * one `<li>` per item from `children`. `bottomPager` repeats the pager under a long page.
 */
export function PagedItems<T>(props: {
  data: Page<T> | null;
  loading: boolean;
  error: string | null;
  onPage(page: number): void;
  label: string;
  empty: ComponentChildren;
  bottomPager?: boolean;
  children(item: T): VNode;
}) {
  const { data } = props;
  return (
    <>
      <Loading loading={props.loading && !data} error={props.error} />
      {data && (
        <>
          <Pager page={data} onPage={props.onPage} label={props.label} />
          {data.items.length === 0 && <p class="muted">{props.empty}</p>}
          <ul class="items">{data.items.map((item) => props.children(item))}</ul>
          {props.bottomPager && data.items.length > 5 && <Pager page={data} onPage={props.onPage} label={`${props.label} (bottom)`} />}
        </>
      )}
    </>
  );
}

export function Loading(props: { loading: boolean; error: string | null }) {
  if (props.error)
    return (
      <p class="status error" role="alert">
        {props.error}
      </p>
    );
  return props.loading ? <p class="muted" aria-live="polite">Loading…</p> : null;
}

/**
 * A button that opens a small form: a required reason (and any extra fields); the action
 * runs only when the form is submitted. Errors from the server show in the form.
 */
export function Action(props: {
  label: string;
  danger?: boolean;
  disabled?: boolean;
  title?: string;
  extra?: (values: Record<string, string>, set: (k: string, v: string) => void) => ComponentChildren;
  run(reason: string, values: Record<string, string>): Promise<unknown>;
  done(): void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (open) area.current?.focus();
  }, [open]);
  if (!open)
    return (
      <button type="button" class={props.danger ? 'danger' : ''} disabled={props.disabled} title={props.title} onClick={() => setOpen(true)}>
        {props.label}
      </button>
    );
  return (
    <form
      class="action"
      data-action={props.label}
      onSubmit={(event) => {
        event.preventDefault();
        if (reason.trim().length < 3) {
          setError('A reason is required (at least 3 characters).');
          return;
        }
        setBusy(true);
        setError(null);
        props.run(reason.trim(), values).then(
          () => {
            setBusy(false);
            setOpen(false);
            props.done();
          },
          (e: Error) => {
            setBusy(false);
            setError(e.message);
          },
        );
      }}
    >
      <strong>{props.label}</strong>
      {props.extra?.(values, (k, v) => setValues({ ...values, [k]: v }))}
      <label>
        Reason (required; kept in the audit log{props.label.startsWith('Hide') ? ' and shown to the author' : ''})
        <textarea ref={area} required minLength={3} maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      {error && (
        <p class="status error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" class={props.danger ? 'danger' : ''} disabled={busy}>
          Confirm: {props.label}
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

