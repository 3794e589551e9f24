/**
 * Strings and number formats for every extension page and the content script.
 * Strings live in `_locales/<lang>/messages.json`; this is the one place that reads them.
 */
import { ext } from './extension-api.js';

/**
 * Markers passed as substitutions once per key, to learn where each `$N` lands in the
 * worker's language. A task list asks for the same strings hundreds of times, and each
 * browser call costs tens of microseconds: the template is asked for once, then filled here.
 */
const MARKERS = ['\u0001', '\u0002', '\u0003', '\u0004', '\u0005', '\u0006', '\u0007', '\u0008', '\u000e'];
const MARKER = /([\u0001-\u0008\u000e])/;
/** A message as its text pieces and, between them, which substitution goes there. */
type Compiled = { parts: string[]; slots: number[]; plain: string; missing: boolean };
const compiled = new Map<string, Compiled>();

function compile(key: string): Compiled {
  const found = ext.i18n.getMessage(key, MARKERS);
  const template = found || key;
  const pieces = template.split(MARKER);
  const parts: string[] = [];
  const slots: number[] = [];
  pieces.forEach((piece, i) => (i % 2 === 0 ? parts.push(piece) : slots.push(MARKERS.indexOf(piece))));
  return { parts, slots, plain: parts.join(''), missing: !found };
}

function lookup(key: string): Compiled {
  let message = compiled.get(key);
  if (!message) {
    message = compile(key);
    compiled.set(key, message);
  }
  return message;
}

export function t(key: string, substitutions?: string | string[]): string {
  const message = lookup(key);
  if (substitutions === undefined || message.slots.length === 0) return message.plain;
  const values = typeof substitutions === 'string' ? [substitutions] : substitutions;
  // Filled piece by piece, so a value that itself holds a marker (a name from the page) stays as it is.
  let text = message.parts[0]!;
  for (let i = 0; i < message.slots.length; i++) text += (values[message.slots[i]!] ?? '') + message.parts[i + 1]!;
  return text;
}

/**
 * A count in words, by the language's own plural rules: the message `<baseKey>_<category>`
 * where the category is what `Intl.PluralRules` says for `count` in the worker's language
 * (English: one, other; Spanish: one, many, other — "many" is for whole millions). A
 * category a language doesn't write out falls back to `<baseKey>_other`, so every plural
 * message needs only `_one` and `_other`, and `_many` where the grammar differs.
 * `$1` is the count, formatted for the language; `subs` fill `$2`, `$3`…
 */
export function tPlural(baseKey: string, count: number, subs: string[] = [], fractionDigits = 0): string {
  const values = [formatCount(count, fractionDigits), ...subs];
  const category = pluralCategory(count, fractionDigits);
  if (category !== 'other') {
    const key = `${baseKey}_${category}`;
    if (!lookup(key).missing) return t(key, values);
  }
  return t(`${baseKey}_other`, values);
}

const pluralRules = new Map<number, Intl.PluralRules>();
/**
 * The plural category of `count` in the worker's language ("one", "many", "other"…), as
 * written with `fractionDigits` decimals: English says "1 day" but "1.0 days".
 */
export function pluralCategory(count: number, fractionDigits = 0): Intl.LDMLPluralRule {
  let rules = pluralRules.get(fractionDigits);
  if (!rules) pluralRules.set(fractionDigits, (rules = new Intl.PluralRules(uiLocale(), { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })));
  return rules.select(count);
}

/** A number in the worker's language ("1,234" / "1234" / "12.345"), with that many decimals. */
export function formatCount(n: number, fractionDigits = 0): string {
  return format(`count:${fractionDigits}`, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(n);
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
  const id = `money:${currency}`;
  let fast = moneyPatterns.get(id);
  if (fast === undefined) moneyPatterns.set(id, (fast = moneyPattern(format(id, { style: 'currency', currency, maximumFractionDigits: 2 }))));
  return (Number.isInteger(cents) && cents >= 0 && cents < 100_000 && fast?.(cents)) || format(id, { style: 'currency', currency, maximumFractionDigits: 2 }).format(cents / 100);
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

export function formatShare(share: number): string {
  return format('share', { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function formatRating(mean: number): string {
  return format('rating', { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(mean);
}
