/**
 * The background's message entry point. Checks who is speaking before what is said:
 * `content/…` messages only from content scripts in a tab, `ui/…` only from our own
 * extension pages. Then validates the payload and answers `{ok, value}` or `{ok:false, error}`.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { MESSAGES, MessageEnvelope, type MessageType, type Reply } from '../core/messages.js';
import { describeIssues } from '../core/validation.js';
import { handlers } from './handlers.js';

function senderKind(sender: Runtime.MessageSender): 'content' | 'ui' | null {
  if (sender.id !== browser.runtime.id) return null;
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;
  const origin = sender.url ? new URL(sender.url).origin : null;
  if (origin === extensionOrigin) return 'ui';
  return sender.tab ? 'content' : null;
}

export async function handleMessage(message: unknown, sender: Runtime.MessageSender): Promise<Reply> {
  const envelope = MessageEnvelope.safeParse(message);
  if (!envelope.success) return { ok: false, error: `message: ${describeIssues(envelope.error)}` };
  const type: MessageType = envelope.data.type;
  const spec = MESSAGES[type];
  if (senderKind(sender) !== spec.from) return { ok: false, error: `${type}: not accepted from this sender` };
  const request = spec.request.safeParse(envelope.data.payload);
  if (!request.success) return { ok: false, error: describeIssues(request.error) };
  try {
    const handler = handlers[type] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(request.data) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function listen(): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => handleMessage(message, sender));
}
