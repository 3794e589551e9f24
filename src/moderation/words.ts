/**
 * Numbers, counts, money and times on the moderation page. The page is in English whatever
 * the browser's language, so its numbers are English too ("1,234"); the formats themselves
 * are the extension's (`ui/format.ts`), asked for in English.
 */
import { formatCount } from '../ui/format.js';

/** A whole number by English rules: "1,234". */
export const count = (n: number): string => formatCount(n, 0, 'en');

const englishPlurals = new Intl.PluralRules('en');
/** "1 counted review", "1,234 counted reviews": by English plural rules (issue 12). */
export function counted(n: number, one: string, other: string): string {
  return `${count(n)} ${englishPlurals.select(n) === 'one' ? one : other}`;
}

/** Minor units and the currency's code, as moderators read them in the data: "7.25 USD". */
export const amount = (cents: number, currency: string): string => `${formatCount(cents / 100, 2, 'en')} ${currency}`;

/** An ISO time from the server, to the minute: "2025-03-04 15:07 UTC". */
export const when = (isoText: string): string => `${isoText.slice(0, 16).replace('T', ' ')} UTC`;
