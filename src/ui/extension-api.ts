/**
 * The browser's own extension namespace, for the content script, which must stay small
 * (≤ 30 KB gzipped). Firefox's `browser` and Chrome's `chrome` both return promises from
 * the calls used here; the one difference that matters — replying to a message — is
 * bridged with `sendResponse`, which both support. Extension pages and the background
 * use webextension-polyfill instead, where a few KB don't matter.
 */
interface Sender {
  id?: string;
  tab?: { id?: number };
  url?: string;
}
interface NativeApi {
  runtime: {
    id: string;
    sendMessage(message: unknown): Promise<unknown>;
    onMessage: { addListener(listener: (message: unknown, sender: Sender, sendResponse: (reply: unknown) => void) => boolean | undefined): void };
  };
  storage: { onChanged: { addListener(listener: (changes: Record<string, unknown>, area: string) => void): void } };
  i18n: { getMessage(key: string, substitutions?: string | string[]): string; getUILanguage(): string };
}

const g = globalThis as unknown as { browser?: NativeApi; chrome?: NativeApi };
export const ext: NativeApi = (g.browser ?? g.chrome)!;

/** Listens for messages whose reply is computed asynchronously; `undefined` means "not mine". */
export function onMessage(handler: (message: unknown, sender: Sender) => Promise<unknown | undefined>): void {
  ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void handler(message, sender).then((reply) => sendResponse(reply));
    return true;
  });
}
