/** Small conversions the pages' forms need: money typed as "7.25" ↔ cents, times in words. */
import browser from 'webextension-polyfill';

function locale(): string {
  try {
    return browser.i18n.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}

/** "7.25", "7,25", "7", ".5" → 725, 725, 700, 50; anything else (or > 2 decimals) → null. */
export function parseMoney(input: string): number | null {
  const text = input.trim().replace(/^[$£€]\s*/, '');
  const normal = text.includes('.') ? text : text.replace(',', '.');
  if (!/^(?:\d{1,7}(?:\.\d{0,2})?|\.\d{1,2})$/.test(normal)) return null;
  return Math.round(Number(normal) * 100);
}

/** Cents → "7.25" for an input field (no currency sign, dot decimal). */
export function centsToInput(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  return (cents / 100).toFixed(2);
}

/** A number field's text → number, '' → null, not a number → NaN (schemas then name it). */
export function parseOptionalNumber(input: string): number | null {
  const text = input.trim().replace(',', '.');
  if (text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole minutes since `since` (ms), at least 1. */
export function minutesSince(since: number, now = Date.now()): number {
  return Math.max(1, Math.round((now - since) / 60_000));
}

export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** "3 minutes ago", "in 20 seconds". */
export function formatRelative(ms: number, now = Date.now()): string {
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  const seconds = Math.round((ms - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}
