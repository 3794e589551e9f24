// @vitest-environment happy-dom
/**
 * The outbox list's unreadable items (issue 14 review, item 2), rendered by Preact in
 * happy-dom: an item this version can't read is shown with its stored text as text (in a
 * read-only field to copy), counted, and can be discarded.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeAll, expect, it, vi } from 'vitest';
import type { OutboxList as OutboxListType } from './OutboxList.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const EN = JSON.parse(readFileSync(join(HERE, '../../_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;

const sent = vi.hoisted(() => [] as unknown[]);
vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      sendMessage: async (message: unknown) => {
        sent.push(message);
        return { ok: true, value: { done: true } };
      },
    },
  },
}));

let OutboxList: typeof OutboxListType;
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
  ({ OutboxList } = await import('./OutboxList.js'));
});

it('an unreadable item shows its stored text as text, is counted, and is discarded on confirmation', async () => {
  const raw = JSON.stringify({ kind: 'tip', payload: { text: 'my words <img src=x onerror="alert(1)">\u0000' } }, null, 2);
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(h(OutboxList, { items: [], unreadable: [{ id: 'u-1', raw }] }), root));

  expect(root.querySelector('h3')!.textContent).toContain('1');
  const item = root.querySelector('[data-outbox-state="unreadable"]')!;
  expect(item.textContent).toContain(EN.outboxUnreadable!.message);
  const field = item.querySelector('textarea')!;
  expect(field.value).toBe(raw);
  expect(field.readOnly).toBe(true);
  expect(field.getAttribute('aria-label')).toBe(EN.outboxUnreadableLabel!.message);
  expect(root.querySelector('img')).toBeNull();

  await act(() => (item.querySelector('button') as HTMLButtonElement).click());
  const confirm = [...item.querySelectorAll('button')].find((b) => b.textContent === EN.discardConfirm!.message)!;
  await act(async () => confirm.click());
  await act(async () => undefined);
  expect(sent).toEqual([{ type: 'ui/outbox-discard', payload: { id: 'u-1' } }]);
  expect(root.querySelector('[data-outbox-state="unreadable"]')).toBeNull();
});
