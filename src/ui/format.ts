/**
 * Numbers, money and dates in the worker's language: the one place that decides the
 * locale and builds `Intl` formats, for the content script, the detail card and every
 * extension page. The moderation page (English only, outside the extension) passes 'en'.
 */
import { ext } from './extension-api.js';

/** The browser's UI language; 'en' where there is none (a page outside the extension, a test). */
export function uiLocale(): string {
  try {
    return ext.i18n.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}

/**
 * Formats are costly to build and a task list formats hundreds of numbers: one of each,
 * kept for the page's life (the UI language doesn't change while a page is open). The
 * language is asked for only when a format is built: the browser call costs more than the lookup.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(id: string, options: Intl.NumberFormatOptions, locale?: string): Intl.NumberFormat {
  const key = locale ? `${locale}|${id}` : id;
  let found = numberFormats.get(key);
  if (!found) numberFormats.set(key, (found = new Intl.NumberFormat(locale ?? uiLocale(), options)));
  return found;
}
/** Date and relative-time formats, by the same rule (the content script has none). */
const timeFormats = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat>(id: string, make: () => T): T {
  let found = timeFormats.get(id) as T | undefined;
  if (!found) timeFormats.set(id, (found = make()));
  return found;
}

/** A number in the worker's language ("1,234" / "1234" / "12.345"), with that many decimals. */
export function formatCount(n: number, fractionDigits = 0, locale?: string): string {
  return numberFormat(`count:${fractionDigits}`, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }, locale).format(n);
}

/** Minor units (cents, pence) as money in the worker's language, e.g. "$7.25". */
export function formatMoney(cents: number, currency: string): string {
  const id = `money:${currency}`;
  const options: Intl.NumberFormatOptions = { style: 'currency', currency, maximumFractionDigits: 2 };
  let fast = moneyPatterns.get(id);
  if (fast === undefined) moneyPatterns.set(id, (fast = moneyPattern(numberFormat(id, options))));
  return (Number.isInteger(cents) && cents >= 0 && cents < 100_000 && fast?.(cents)) || numberFormat(id, options).format(cents / 100);
}

/**
 * A task list formats hundreds of hourly rates in the task that draws it, and Intl's
 * `format` is the costly part of a badge. So each currency's shape in the worker's
 * language ("$7.25", "7,25 €") is read from Intl once, and kept only if it gives Intl's
 * very text on sample amounts; anything it might get wrong goes to Intl.
 */
const moneyPatterns = new Map<string, ((cents: number) => string) | null>();
function moneyPattern(intl: Intl.NumberFormat): ((cents: number) => string) | null {
  const parts = intl.formatToParts(1.5);
  const integer = parts.findIndex((p) => p.type === 'integer');
  const fraction = parts.findIndex((p) => p.type === 'fraction');
  if (integer < 0 || fraction !== integer + 2 || parts[integer + 1]?.type !== 'decimal' || parts[fraction]!.value.length !== 2) return null;
  const before = parts.slice(0, integer).map((p) => p.value).join('');
  const point = parts[integer + 1]!.value;
  const after = parts.slice(fraction + 1).map((p) => p.value).join('');
  const pattern = (cents: number) => `${before}${Math.floor(cents / 100)}${point}${String(cents % 100).padStart(2, '0')}${after}`;
  const agrees = [0, 5, 99, 725, 1250, 99_999].every((cents) => pattern(cents) === intl.format(cents / 100));
  return agrees ? pattern : null;
}

/** Minor units as a plain amount, no currency ("100.00", "100,00"): rules that name no currency. */
export function formatAmount(cents: number): string {
  return formatCount(cents / 100, 2);
}

export function formatShare(share: number): string {
  return numberFormat('share', { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function formatRating(mean: number): string {
  return numberFormat('rating', { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(mean);
}

/** A moment, date and time ("Mar 4, 2025, 3:07 PM"), in the worker's time zone. */
export function formatDateTime(ms: number): string {
  return cached('datetime', () => new Intl.DateTimeFormat(uiLocale(), { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(ms));
}

/** The day of a moment ("Mar 4, 2025"), in the worker's time zone. */
export function formatDate(ms: number): string {
  return cached('date', () => new Intl.DateTimeFormat(uiLocale(), { dateStyle: 'medium' })).format(new Date(ms));
}

/** "2025-03-04" → "Mar 4, 2025": a calendar day, shown as that day whatever the time zone. */
export function formatCalendarDay(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return cached('day', () => new Intl.DateTimeFormat(uiLocale(), { dateStyle: 'medium', timeZone: 'UTC' })).format(date);
}

/** "3 minutes ago", "in 20 seconds". */
export function formatRelative(ms: number, now = Date.now()): string {
  const rtf = cached('relative', () => new Intl.RelativeTimeFormat(uiLocale(), { numeric: 'auto' }));
  const seconds = Math.round((ms - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}
