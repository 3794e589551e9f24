/**
 * The browser APIs the background's unit tests need, faked in memory (extension storage
 * with change listeners, alarms, the runtime's id): one fake for the outbox and sync
 * tests, which mock `webextension-polyfill` with it. Storage values are cloned on the way
 * in and out, as the browser's are; alarms are kept as the browser reports them.
 */
type ChangeListener = (changes: Record<string, { newValue?: unknown }>, area: string) => void;

export function fakeBrowser() {
  const storage = new Map<string, unknown>();
  const alarms = new Map<string, { name: string; scheduledTime: number }>();
  const listeners: ChangeListener[] = [];
  const told = (keys: string[], present: boolean) => {
    const changes = Object.fromEntries(keys.map((k) => [k, present ? { newValue: storage.get(k) } : {}]));
    for (const listener of listeners) listener(changes, 'local');
  };
  const pick = (keys: string | string[] | null | undefined) => {
    const wanted = keys == null ? [...storage.keys()] : Array.isArray(keys) ? keys : [keys];
    return Object.fromEntries(wanted.filter((k) => storage.has(k)).map((k) => [k, structuredClone(storage.get(k))]));
  };
  const browser = {
    storage: {
      local: {
        get: async (keys?: string | string[] | null) => pick(keys),
        set: async (items: Record<string, unknown>) => {
          Object.entries(items).forEach(([k, v]) => storage.set(k, structuredClone(v)));
          told(Object.keys(items), true);
        },
        remove: async (keys: string | string[]) => {
          const gone = Array.isArray(keys) ? keys : [keys];
          gone.forEach((k) => storage.delete(k));
          told(gone, false);
        },
      },
      onChanged: { addListener: (listener: ChangeListener) => void listeners.push(listener) },
    },
    alarms: {
      create: async (name: string, info: { when?: number; delayInMinutes?: number }) =>
        void alarms.set(name, { name, scheduledTime: info.when ?? Date.now() + (info.delayInMinutes ?? 0) * 60_000 }),
      get: async (name: string) => alarms.get(name),
    },
    runtime: { id: 'test', getURL: (path: string) => `chrome-extension://test/${path}` },
  };
  return { storage, alarms, listeners, browser };
}
