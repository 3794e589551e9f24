/**
 * Strings for every extension page and the content script (numbers and dates: `format.ts`).
 * Strings live in `_locales/<lang>/messages.json`; this is the one place that reads them.
 */
import { ext } from './extension-api.js';
import { formatCount, uiLocale } from './format.js';

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
