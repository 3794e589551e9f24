// @vitest-environment happy-dom
/**
 * The options sections' one save-status hook, rendered by Preact in happy-dom: what the
 * status line says while and after a save runs, in the worker's words (English messages).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeAll, expect, it, vi } from 'vitest';
import type { SaveStatusState } from './use-save-status.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const EN = JSON.parse(readFileSync(join(HERE, '../../_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;

vi.mock('webextension-polyfill', () => ({ default: { runtime: { sendMessage: async () => undefined } } }));

let useSaveStatus: () => SaveStatusState;
let StatusLine: (props: SaveStatusState['line']) => unknown;
beforeAll(async () => {
  (globalThis as unknown as { chrome: unknown }).chrome = {
    i18n: {
      getMessage: (key: string, subs: string | string[] = []) => {
        const values = typeof subs === 'string' ? [subs] : subs;
        return EN[key]?.message.replace(/\$([1-9])/g, (_, n: string) => values[Number(n) - 1] ?? '') ?? '';
      },
      getUILanguage: () => 'en',
    },
  };
  ({ useSaveStatus } = await import('./use-save-status.js'));
  ({ StatusLine } = (await import('./fields.js')) as unknown as { StatusLine: typeof StatusLine });
});

/** A section with the hook: the test holds its state, the page shows its status line. */
function mount() {
  const held: { save: SaveStatusState | null } = { save: null };
  function Section() {
    const save = useSaveStatus();
    held.save = save;
    return h(StatusLine as never, save.line);
  }
  const root = document.createElement('div');
  document.body.append(root);
  act(() => render(h(Section, null), root));
  const line = () => root.querySelector('p')!;
  return { save: () => held.save!, line };
}

it('says the words the work resolves to, as ok; clears the old status and is busy while it runs', async () => {
  const { save, line } = mount();
  act(() => save().say({ text: 'Earlier words', kind: 'error' }));
  expect([line().textContent, line().getAttribute('role')]).toEqual(['Earlier words', 'alert']);
  let finish!: (words: string) => void;
  let done!: Promise<boolean>;
  act(() => {
    done = save().run(new Promise<string>((resolve) => (finish = resolve)));
  });
  expect(save().busy).toBe(true);
  expect(line().textContent).toBe('');
  await act(async () => {
    finish('Saved.');
    expect(await done).toBe(true);
  });
  expect([line().textContent, line().getAttribute('role'), line().className, save().busy]).toEqual(['Saved.', 'status', 'ok-text', false]);
});

it('a status of its own is shown as given; nothing to say leaves the line empty', async () => {
  const { save, line } = mount();
  await act(async () => void (await save().run(async () => ({ text: 'Notifications refused', kind: 'info' }))));
  expect([line().textContent, line().className]).toEqual(['Notifications refused', 'muted']);
  await act(async () => void (await save().run(async () => undefined)));
  expect(line().textContent).toBe('');
});

it("a failure is said in the worker's words (or the section's own), as an alert, and resolves false", async () => {
  const { save, line } = mount();
  let ok = true;
  await act(async () => {
    ok = await save().run(Promise.reject(new Error('ui/settings-set: Could not establish connection. Receiving end does not exist.')));
  });
  expect(ok).toBe(false);
  expect([line().textContent, line().getAttribute('role'), line().className]).toEqual([EN.errorNoReceiver!.message, 'alert', 'error']);
  await act(async () => {
    await save().run(() => Promise.reject(new Error('boom')), (words) => `Import failed: ${words}`);
  });
  expect(line().textContent).toBe('Import failed: boom');
  // A function that throws before its first await is a failure too, not an escaped exception.
  await act(async () => {
    ok = await save().run(() => {
      throw new Error('thrown at once');
    });
  });
  expect([ok, line().textContent]).toEqual([false, 'thrown at once']);
});
