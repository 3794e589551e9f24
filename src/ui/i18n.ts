/**
 * Strings and number formats for every extension page and the content script.
 * Strings live in `_locales/<lang>/messages.json`; this is the one place that reads them.
 */
import { ext } from './extension-api.js';

const plain = new Map<string, string>();

export function t(key: string, substitutions?: string | string[]): string {
  if (substitutions !== undefined) return ext.i18n.getMessage(key, substitutions) || key;
  // A task list asks for the same few strings hundreds of times.
  let text = plain.get(key);
  if (text === undefined) {
    text = ext.i18n.getMessage(key) || key;
    plain.set(key, text);
  }
  return text;
}

export function uiLocale(): string {
  try {
    return ext.i18n.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}

/** Number formats are costly to build and a task list formats hundreds of numbers: one each. */
const formats = new Map<string, Intl.NumberFormat>();
function format(id: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let found = formats.get(id);
  if (!found) {
    found = new Intl.NumberFormat(uiLocale(), options);
    formats.set(id, found);
  }
  return found;
}

/** Minor units (cents, pence) as money in the worker's language, e.g. "$7.25". */
export function formatMoney(cents: number, currency: string): string {
  return format(`money:${currency}`, { style: 'currency', currency, maximumFractionDigits: 2 }).format(cents / 100);
}

export function formatShare(share: number): string {
  return format('share', { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function formatRating(mean: number): string {
  return format('rating', { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(mean);
}
