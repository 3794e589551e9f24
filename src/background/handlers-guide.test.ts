/** The welcome page opens on a first install only: never on an update or a browser update. */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const listeners: ((details: { reason: string }) => Promise<void> | undefined)[] = [];
const created: string[] = [];
let stored: Record<string, unknown> = {};
vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      onInstalled: { addListener: (listener: (details: { reason: string }) => Promise<void> | undefined) => listeners.push(listener) },
      getURL: (path: string) => `chrome-extension://lantern/${path}`,
    },
    tabs: { create: async ({ url }: { url: string }) => void created.push(url) },
    storage: {
      local: { get: async (key: string) => (key in stored ? { [key]: stored[key] } : {}), set: async (items: Record<string, unknown>) => void Object.assign(stored, items) },
      onChanged: { addListener: () => undefined },
    },
  },
}));

const { welcomeOnInstall } = await import('./handlers-guide.js');

describe('welcomeOnInstall', () => {
  beforeEach(() => {
    listeners.length = 0;
    created.length = 0;
    stored = {};
    welcomeOnInstall();
  });

  const installed = (reason: string) => Promise.all(listeners.map((listener) => listener({ reason })));

  it('opens the welcome page when the extension is installed, once per profile', async () => {
    await installed('install');
    expect(created).toEqual(['chrome-extension://lantern/welcome.html']);
    // Chromium's command-line extensions are "installed" again at every start, storage kept.
    await installed('install');
    expect(created).toHaveLength(1);
  });

  it.each(['update', 'chrome_update', 'browser_update', 'shared_module_update'])('opens nothing on %s', async (reason) => {
    await installed(reason);
    expect(created).toEqual([]);
  });
});
