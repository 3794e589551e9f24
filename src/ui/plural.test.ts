/**
 * Counts in words follow each language's plural rules (`Intl.PluralRules`), never "(s)":
 * `tPlural` picks `<key>_<category>`, falls back to `<key>_other` for a category a language
 * doesn't write out, and every plural message in both locale files is complete.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

type Messages = Record<string, { message: string }>;
const HERE = dirname(fileURLToPath(import.meta.url));
const load = (lang: string): Messages => JSON.parse(readFileSync(join(HERE, '..', '_locales', lang, 'messages.json'), 'utf8')) as Messages;
const LOCALES: Record<string, Messages> = { en: load('en'), es: load('es') };

/** Messages only this test uses, to check the machinery apart from today's wording. */
const FIXTURES: Record<string, Messages> = {
  en: { testApple_one: { message: 'one apple from $2' }, testApple_other: { message: '$1 apples from $2' } },
  es: {
    testApple_one: { message: 'una manzana de $2' },
    testApple_many: { message: '$1 de manzanas de $2' },
    testApple_other: { message: '$1 manzanas de $2' },
  },
};

/** Chrome's lookup: the worker's language, then the default (English); `$N` filled in. */
function getMessage(lang: string, key: string, subs: string | string[] = []): string {
  const entry = FIXTURES[lang]![key] ?? LOCALES[lang]![key] ?? FIXTURES.en![key] ?? LOCALES.en![key];
  if (!entry) return '';
  const values = typeof subs === 'string' ? [subs] : subs;
  return entry.message.replace(/\$(\$|[1-9])/g, (_, what: string) => (what === '$' ? '$' : (values[Number(what) - 1] ?? '')));
}

async function i18nIn(lang: string) {
  (globalThis as unknown as { chrome: unknown }).chrome = {
    i18n: { getMessage: (key: string, subs?: string | string[]) => getMessage(lang, key, subs), getUILanguage: () => lang },
  };
  vi.resetModules();
  return import('./i18n.js');
}

describe('Intl.PluralRules, as Lantern relies on it', () => {
  it('has one and other in English; one, many and other in Spanish', () => {
    expect(new Intl.PluralRules('en').resolvedOptions().pluralCategories.sort()).toEqual(['one', 'other']);
    expect(new Intl.PluralRules('es').resolvedOptions().pluralCategories.sort()).toEqual(['many', 'one', 'other']);
    const es = new Intl.PluralRules('es');
    expect([0, 1, 2, 5, 1_000_000].map((n) => es.select(n))).toEqual(['other', 'one', 'other', 'other', 'many']);
  });
});

describe('tPlural()', () => {
  it('says one and other in English, with the count formatted and the other values after it', async () => {
    const { tPlural } = await i18nIn('en');
    expect(tPlural('testApple', 1, ['Ann'])).toBe('one apple from Ann');
    expect(tPlural('testApple', 0, ['Ann'])).toBe('0 apples from Ann');
    expect(tPlural('testApple', 2, ['Ann'])).toBe('2 apples from Ann');
    expect(tPlural('testApple', 1234, ['Ann'])).toBe('1,234 apples from Ann');
    // English has no "many": a million is "other".
    expect(tPlural('testApple', 1_000_000, ['Ann'])).toBe('1,000,000 apples from Ann');
  });

  it('says one, many and other in Spanish, formatting numbers the Spanish way', async () => {
    const { tPlural } = await i18nIn('es');
    expect(tPlural('testApple', 1, ['Ana'])).toBe('una manzana de Ana');
    expect(tPlural('testApple', 0, ['Ana'])).toBe('0 manzanas de Ana');
    expect(tPlural('testApple', 3, ['Ana'])).toBe('3 manzanas de Ana');
    expect(tPlural('testApple', 12_345, ['Ana'])).toBe('12.345 manzanas de Ana');
    expect(tPlural('testApple', 2_000_000, ['Ana'])).toBe('2.000.000 de manzanas de Ana');
  });

  it('falls back to _other for a category the messages leave out', async () => {
    delete FIXTURES.es!.testApple_many;
    try {
      const { tPlural } = await i18nIn('es');
      expect(tPlural('testApple', 1_000_000, ['Ana'])).toBe('1.000.000 manzanas de Ana');
    } finally {
      FIXTURES.es!.testApple_many = { message: '$1 de manzanas de $2' };
    }
  });
});

/** Every source file of the extension (not tests): what asks for messages. */
function sources(dir = join(HERE, '..')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'server' ? [] : sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

describe('plural messages in the locale files', () => {
  it('never say "(s)" or "(es)": a count picks its own words', () => {
    for (const lang of ['en', 'es']) {
      const guessing = Object.entries(LOCALES[lang]!).filter(([, e]) => /\((s|es|as|os)\)|\bvez\/veces\b/i.test(e.message));
      expect(guessing.map(([key, e]) => `${lang} ${key}: ${e.message}`)).toEqual([]);
    }
  });

  it('exist, _one and _other, in both languages for every tPlural the extension calls', () => {
    const bases = new Set<string>();
    for (const file of sources()) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\b(?:tPlural|plural)\(\s*'([A-Za-z0-9_]+)'/g)) bases.add(m[1]!);
      // A key picked by a condition (`tPlural(cond ? 'a' : 'b', n)`) is a literal that is no message of its own.
      for (const m of source.matchAll(/'(plural[A-Z][A-Za-z0-9]*)'/g)) if (!(m[1]! in LOCALES.en!)) bases.add(m[1]!);
    }
    expect(bases.size).toBeGreaterThan(25);
    const missing = [...bases].flatMap((base) => ['en', 'es'].flatMap((lang) => ['_one', '_other'].filter((c) => !(`${base}${c}` in LOCALES[lang]!)).map((c) => `${lang} ${base}${c}`)));
    expect(missing).toEqual([]);
  });

  for (const lang of ['en', 'es']) {
    it(`are complete in ${lang}: every _one has its _other`, () => {
      const keys = Object.keys(LOCALES[lang]!);
      // Keyed by `_one` (a flag reason's key may end in "_other" without being a plural).
      const bases = keys.filter((k) => k.endsWith('_one')).map((k) => k.slice(0, -'_one'.length));
      const incomplete = bases.filter((base) => !keys.includes(`${base}_other`));
      expect(incomplete).toEqual([]);
    });
  }
});
