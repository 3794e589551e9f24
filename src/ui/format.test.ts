/**
 * `ui/format.ts` is the one place numbers, money and dates are put in the worker's
 * language: these pin what it says in English and Spanish, that the language is read from
 * the browser with 'en' as the fallback, and that an explicit language (the moderation
 * page's 'en') wins over the browser's.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const NBSP = '\u00a0';

/** A fresh module whose browser says `language` (undefined: no extension API at all). */
async function formatIn(language: string | undefined | (() => string)) {
  const g = globalThis as unknown as { chrome?: unknown };
  if (language === undefined) delete g.chrome;
  else g.chrome = { i18n: { getMessage: () => '', getUILanguage: typeof language === 'function' ? language : () => language } };
  vi.resetModules();
  return import('./format.js');
}

afterEach(() => {
  delete (globalThis as unknown as { chrome?: unknown }).chrome;
});

describe('uiLocale()', () => {
  it("is the browser's UI language", async () => {
    expect((await formatIn('es')).uiLocale()).toBe('es');
  });

  it("falls back to 'en' without an extension API, with an empty language, or when the browser throws", async () => {
    expect((await formatIn(undefined)).uiLocale()).toBe('en');
    expect((await formatIn('')).uiLocale()).toBe('en');
    const throwing = () => {
      throw new Error('context invalidated');
    };
    expect((await formatIn(throwing)).uiLocale()).toBe('en');
  });
});

describe('numbers and money', () => {
  it('in English', async () => {
    const f = await formatIn('en');
    expect(f.formatCount(12345)).toBe('12,345');
    expect(f.formatCount(2.5, 1)).toBe('2.5');
    expect(f.formatMoney(725, 'USD')).toBe('$7.25');
    expect(f.formatMoney(123_456, 'USD')).toBe('$1,234.56');
    expect(f.formatAmount(10_000)).toBe('100.00');
    expect(f.formatShare(0.25)).toBe('25%');
    expect(f.formatRating(3.25)).toBe('3.3');
  });

  it('in Spanish', async () => {
    const f = await formatIn('es');
    expect(f.formatCount(12345)).toBe('12.345');
    expect(f.formatCount(2.5, 1)).toBe('2,5');
    expect(f.formatMoney(725, 'USD')).toBe(`7,25${NBSP}US$`);
    expect(f.formatMoney(725, 'EUR')).toBe(`7,25${NBSP}€`);
    expect(f.formatAmount(10_000)).toBe('100,00');
    expect(f.formatShare(0.25)).toBe(`25${NBSP}%`);
    expect(f.formatRating(3.25)).toBe('3,3');
  });

  it("an explicit language wins over the browser's, and neither format is reused for the other", async () => {
    const f = await formatIn('es');
    expect(f.formatCount(12345, 0, 'en')).toBe('12,345');
    expect(f.formatCount(12345)).toBe('12.345');
    expect(f.formatCount(12345, 0, 'en')).toBe('12,345');
  });
});

describe('dates', () => {
  it('a calendar day is that day in any time zone, and text that is not a day comes back as it was', async () => {
    const f = await formatIn('en');
    expect(f.formatCalendarDay('2025-03-04')).toBe('Mar 4, 2025');
    expect(f.formatCalendarDay('soon')).toBe('soon');
    const es = await formatIn('es');
    expect(es.formatCalendarDay('2025-03-04')).toBe('4 mar 2025');
  });

  it('a moment as a date, a date and time, and relative to now', async () => {
    const f = await formatIn('en');
    const moment = new Date(2025, 2, 4, 15, 7).getTime();
    expect(f.formatDate(moment)).toBe('Mar 4, 2025');
    expect(f.formatDateTime(moment)).toMatch(/^Mar 4, 2025, 3:07\sPM$/);
    expect(f.formatRelative(moment - 3 * 60_000, moment)).toBe('3 minutes ago');
    expect(f.formatRelative(moment + 20_000, moment)).toBe('in 20 seconds');
    const es = await formatIn('es');
    expect(es.formatRelative(moment - 3 * 60_000, moment)).toBe('hace 3 minutos');
  });
});
