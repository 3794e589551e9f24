/**
 * `t()` asks the browser for each message once (with markers for its substitutions) and
 * fills it in itself. It must say exactly what the browser's own substitution would, for
 * every message, including values that look like substitutions or markers.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const HERE = dirname(fileURLToPath(import.meta.url));
const en = JSON.parse(readFileSync(join(HERE, '..', '_locales', 'en', 'messages.json'), 'utf8')) as Messages;

/** Chrome's algorithm: named placeholders to their content, then `$1`…`$9`, `$$` → `$`. */
function browserGetMessage(key: string, substitutions: string | string[] = []): string {
  const entry = en[key];
  if (!entry) return '';
  const values = typeof substitutions === 'string' ? [substitutions] : substitutions;
  const placeholders = new Map(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
  const text = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => placeholders.get(name.toLowerCase()) ?? whole);
  return text.replace(/\$(\$|[1-9])/g, (_, what: string) => (what === '$' ? '$' : (values[Number(what) - 1] ?? '')));
}

let calls = 0;
let language = 'en';
let t: (key: string, substitutions?: string | string[]) => string;
beforeAll(async () => {
  (globalThis as unknown as { chrome: unknown }).chrome = {
    i18n: {
      getMessage: (key: string, subs?: string | string[]) => {
        calls += 1;
        return browserGetMessage(key, subs);
      },
      getUILanguage: () => language,
    },
  };
  ({ t } = await import('./i18n.js'));
});

describe('t()', () => {
  const tricky = ['Müller & Søn $1', '\u0002 <b>x</b>', '$$', 'fourth', '5', '6', '7', '8', '9'];

  it('says what the browser says, for every message, with and without substitutions', () => {
    for (const key of Object.keys(en)) {
      expect(t(key), key).toBe(browserGetMessage(key));
      expect(t(key, tricky), key).toBe(browserGetMessage(key, tricky));
      expect(t(key, 'only one'), key).toBe(browserGetMessage(key, 'only one'));
    }
  });

  it('asks the browser once per message, however often it is used', () => {
    const before = calls;
    for (let i = 0; i < 100; i++) t('badgeAria', [`Requester ${i}`, 'OK', 'details']);
    expect(calls - before).toBeLessThanOrEqual(1);
  });

  it('falls back to the key for a message that does not exist', () => {
    expect(t('noSuchMessageKey', ['x'])).toBe('noSuchMessageKey');
  });
});

describe('formatMoney()', () => {
  // Its fast path must give Intl's very text, in every language Lantern speaks.
  for (const locale of ['en', 'es', 'de', 'ar-EG', 'ja']) {
    it(`says what Intl says, in ${locale}`, async () => {
      language = locale;
      vi.resetModules();
      const { formatMoney } = await import('./format.js');
      for (const currency of ['USD', 'GBP', 'EUR', 'JPY']) {
        const intl = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 });
        for (let cents = 0; cents <= 101_000; cents += 11) expect(formatMoney(cents, currency)).toBe(intl.format(cents / 100));
        expect(formatMoney(12.5, currency)).toBe(intl.format(0.125));
      }
      language = 'en';
    });
  }
});
