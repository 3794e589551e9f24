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
    getURL(path: string): string;
    sendMessage(message: unknown): Promise<unknown>;
    onMessage: { addListener(listener: (message: unknown, sender: Sender, sendResponse: (reply: unknown) => void) => boolean | undefined): void };
  };
  storage: {
    local: { get(keys: string | string[]): Promise<Record<string, unknown>> };
    onChanged: { addListener(listener: (changes: Record<string, { newValue?: unknown } | undefined>, area: string) => void): void };
  };
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

interface NativePort {
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/**
 * Requests over one long-lived port to the background: cheaper per request than
 * `sendMessage`, which opens a channel each time. If the background restarted (the port
 * closed), the next request connects again; a request cut off by a restart is retried once.
 */
export function portTransport(name: string): (message: unknown) => Promise<unknown> {
  let port: NativePort | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(reply: unknown): void; reject(error: Error): void }>();

  function connect(): NativePort {
    const opened = (ext.runtime as unknown as { connect(info: { name: string }): NativePort }).connect({ name });
    opened.onMessage.addListener((message) => {
      const { id, reply } = (message ?? {}) as { id?: number; reply?: unknown };
      const waiting = id === undefined ? undefined : pending.get(id);
      if (!waiting) return;
      pending.delete(id!);
      waiting.resolve(reply);
    });
    opened.onDisconnect.addListener(() => {
      if (port === opened) port = null;
      for (const [id, waiting] of pending) {
        pending.delete(id);
        waiting.reject(new Error('disconnected'));
      }
    });
    return opened;
  }

  function once(message: unknown): Promise<unknown> {
    port ??= connect();
    const id = nextId++;
    const sent = new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
    port.postMessage({ id, message });
    return sent;
  }

  return (message) => once(message).catch(() => once(message));
}
