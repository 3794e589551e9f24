/**
 * The background's message entry point. Checks who is speaking before what is said:
 * `content/…` messages only from content scripts in a tab, `ui/…` only from our own
 * extension pages — a web page that fools a content script still can't reach the
 * worker's account or settings.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { CONTENT_MESSAGES, CONTENT_PORT } from '../core/messages.js';
import { UI_MESSAGES } from '../core/messages-ui.js';
import { makeReceiver } from '../core/messaging.js';
import { contentHandlers } from './handlers-content.js';
import { uiHandlers } from './handlers-ui.js';

function senderKind(sender: Runtime.MessageSender): 'content' | 'ui' | null {
  if (sender.id !== browser.runtime.id) return null;
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;
  const origin = sender.url ? new URL(sender.url).origin : null;
  if (origin === extensionOrigin) return 'ui';
  return sender.tab ? 'content' : null;
}

const receivers = [makeReceiver(CONTENT_MESSAGES, contentHandlers), makeReceiver(UI_MESSAGES, uiHandlers)];

async function handleMessage(message: unknown, sender: Runtime.MessageSender) {
  const kind = senderKind(sender);
  for (const receive of receivers) {
    const reply = await receive(message, kind, { tabId: sender.tab?.id ?? null, frameId: sender.frameId ?? null });
    if (reply) return reply;
  }
  return { ok: false, error: 'unknown message type' };
}

export function listen(): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => handleMessage(message, sender));
  // A port avoids setting up a message channel per request: a page scan's lookup is then
  // one hop each way. Requests carry an id; replies echo it.
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== CONTENT_PORT || !port.sender) return port.disconnect();
    const sender = port.sender;
    port.onMessage.addListener((envelope: unknown) => {
      const { id, message } = (envelope ?? {}) as { id?: unknown; message?: unknown };
      if (typeof id !== 'number') return;
      void handleMessage(message, sender).then((reply) => {
        try {
          port.postMessage({ id, reply });
        } catch {
          // the page went away meanwhile
        }
      });
    });
  });
}
