/**
 * Both ends of extension messaging, for any catalogue (content→background,
 * ui→background, ui→tab). The sender validates before sending and after receiving; the
 * receiver checks who is speaking, validates, and answers `{ok, value}` or `{ok, error}`.
 */
import type * as z from 'zod/mini';
import { MessageEnvelope, Reply, type Catalogue } from './messages.js';
import { describeIssues } from './validation.js';

export type RequestOf<C extends Catalogue, T extends keyof C> = z.input<C[T]['request']>;
type ParsedRequestOf<C extends Catalogue, T extends keyof C> = z.output<C[T]['request']>;
export type ResponseOf<C extends Catalogue, T extends keyof C> = z.output<C[T]['response']>;
/** Who sent a message, as far as a handler needs to know: the tab of a content script. */
export interface SenderInfo {
  tabId: number | null;
  /** The frame of the content script within its tab (0: the top frame). */
  frameId: number | null;
}
export type Handlers<C extends Catalogue> = {
  [T in keyof C]: (request: ParsedRequestOf<C, T>, sender: SenderInfo) => Promise<ResponseOf<C, T>>;
};

export function makeSender<C extends Catalogue>(catalogue: C, transport: (message: unknown) => Promise<unknown>) {
  return async function send<T extends keyof C & string>(type: T, payload: RequestOf<C, T>): Promise<ResponseOf<C, T>> {
    const spec = catalogue[type]!;
    const request = spec.request.safeParse(payload);
    if (!request.success) throw new Error(`${type}: ${describeIssues(request.error)}`);
    const raw = await transport({ type, payload: request.data });
    const reply = Reply.safeParse(raw);
    if (!reply.success) throw new Error(`${type}: no valid reply`);
    if (!reply.data.ok) throw new Error(reply.data.error);
    const response = spec.response.safeParse(reply.data.value);
    if (!response.success) throw new Error(`${type} reply: ${describeIssues(response.error)}`);
    return response.data as ResponseOf<C, T>;
  };
}

/**
 * A receiver for one or more catalogues. `senderKind` says who sent a message ('content',
 * 'ui', or null for anyone else); a message is handled only if it came from the sender
 * its catalogue names.
 */
export function makeReceiver<C extends Catalogue>(catalogue: C, handlers: Handlers<C>) {
  return async function receive(
    message: unknown,
    senderKind: 'content' | 'ui' | null,
    sender: SenderInfo = { tabId: null, frameId: null },
  ): Promise<Reply | undefined> {
    const envelope = MessageEnvelope.safeParse(message);
    if (!envelope.success) return { ok: false, error: `message: ${describeIssues(envelope.error)}` };
    const { type } = envelope.data;
    if (!Object.hasOwn(catalogue, type)) return undefined; // someone else's message
    const spec = catalogue[type]!;
    if (senderKind !== spec.from) return { ok: false, error: `${type}: not accepted from this sender` };
    const request = spec.request.safeParse(envelope.data.payload);
    if (!request.success) return { ok: false, error: describeIssues(request.error) };
    try {
      const handler = handlers[type] as (request: unknown, sender: SenderInfo) => Promise<unknown>;
      return { ok: true, value: await handler(request.data, sender) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
}
