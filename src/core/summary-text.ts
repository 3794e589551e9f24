/**
 * The canonical text of an encoded summary row (`JSON.stringify` of the tuple in
 * summary-codec.ts): what the server stores, what the sync feed carries, what the
 * checksum hashes, and — since issue 15 — what the replica stores and lookups return.
 *
 * Why a text grammar: validating 100k rows as tuples with zod took about 20 µs a row
 * (2 s for a snapshot, four times its fetch and parse); the same rules written as one
 * regular expression over the row's text check a row in under a microsecond. The row's
 * shape is fixed (tuples of fixed length, nesting of fixed depth), so a regular
 * expression can say it exactly. `EncodedSummaryText` is that grammar as a zod schema;
 * `summary-text.test.ts` checks it against `EncodedSummary` both ways: every row the
 * tuple schema accepts is accepted as text, and every text accepted parses into a row
 * the tuple schema accepts, whose canonical text is that text.
 *
 * Integers are at most 15 digits (every count is far below; the tuple schema allows up
 * to 2^53), and strings use `JSON.stringify`'s own escapes only, so an accepted text is
 * its row's canonical text: its digest is the server's.
 */
import * as z from 'zod/mini';
import { KEY_PATTERN } from './requester-key.js';
import { Currency } from './fields.js';
import type { EncodedSummary } from './summary-codec.js';

const INT0 = '(?:0|[1-9][0-9]{0,14})';
const INT1 = '[1-9][0-9]{0,14}';
const BIT = '[01]';
/**
 * A calendar date, leap years included: `z.iso.date()`'s own pattern (the test checks they
 * are the same), written out because `z.regexes` would bring every zod pattern into the
 * content script.
 */
export const DATE_SOURCE =
  '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))';
const DATE = `"${DATE_SOURCE}"`;
/**
 * One UTF-16 code unit of a string as `JSON.stringify` writes it: a plain character, a
 * short escape, `\u00XX` for the other control characters; a surrogate raw when it is
 * half of a pair, escaped (`\uDXXX`) when alone. Each alternative is one code unit of the
 * decoded string, so `{0,n}` is `maxLength(n)`.
 */
const CHAR = [
  '[^"\\\\\\x00-\\x1f\\ud800-\\udfff]',
  '\\\\["\\\\bfnrt]',
  '\\\\u00(?:0[0-7bef]|1[0-9a-f])',
  '[\\ud800-\\udbff](?=[\\udc00-\\udfff])',
  '(?<=[\\ud800-\\udbff])[\\udc00-\\udfff]',
  '\\\\ud[89ab][0-9a-f]{2}(?![\\udc00-\\udfff]|\\\\ud[c-f])',
  '(?<![\\ud800-\\udbff]|\\\\ud[89ab][0-9a-f]{2})\\\\ud[c-f][0-9a-f]{2}',
].join('|');
const string = (min: number, max: number) => `"(?:${CHAR}){${min},${max}}"`;
const KEY = `"${KEY_PATTERN.source.slice(1, -1)}"`;

const RATING = `(?:0|\\[${INT1},${INT1}\\])`;
const HOURLY = `(?:0|\\["(?:${Currency.options.join('|')})",${INT0},${INT1},${INT0}\\])`;
const WINDOW = `\\[${INT1},${RATING},${RATING},${RATING},${RATING},${HOURLY},${INT0},${INT0},(?:null|${INT0})\\]`;
const SUSPECT_TASK = `\\[${string(1, 64)},[12],${INT0},${DATE}\\]`;

/** The grammar of one row's text, unanchored (scanning a body uses it sticky). */
const SUMMARY_TEXT_SOURCE =
  `\\[${KEY},${string(0, 200)},(?:0|1|${WINDOW}),(?:0|${WINDOW}),` +
  `\\[${INT0},(?:null|${DATE}),${BIT}\\],\\[${INT0},${INT0},${INT0},${INT0}\\],${BIT},${INT0}` +
  `(?:,\\[${SUSPECT_TASK}(?:,${SUSPECT_TASK}){0,49}\\])?\\]`;

const WHOLE = new RegExp(`^${SUMMARY_TEXT_SOURCE}$`);

/** A row's canonical text, checked against the grammar above. */
export const EncodedSummaryText = z.string().check(z.maxLength(16_000), z.regex(WHOLE, 'not a summary row'));
export type EncodedSummaryText = string;

/** The row of a text the grammar accepted (checked before it was stored or sent). */
export function readSummaryText(text: EncodedSummaryText): EncodedSummary {
  return JSON.parse(text) as EncodedSummary;
}

/** The canonical text of a row (what the checksum hashes). */
export function summaryText(row: EncodedSummary): EncodedSummaryText {
  return JSON.stringify(row);
}

/** The requester key of a row's text: keys need no escapes, so it is the first string verbatim. */
export function keyOfSummaryText(text: EncodedSummaryText): EncodedSummary[0] {
  return text.slice(2, text.indexOf('"', 2)) as EncodedSummary[0];
}

/** Whether a row's text carries suspect task groups (only such rows end with a date: `"]]]`). */
export function summaryTextHasSuspects(text: EncodedSummaryText): boolean {
  return text.endsWith('"]]]');
}

/**
 * A sync body (snapshot or changes page) as its server writes it — rows as their
 * canonical texts inside `"rows":[…]` — split into the rows' texts, each checked against
 * the grammar while it is cut out, and the rest parsed as JSON with `"rows":[]`. Null
 * when the body isn't laid out so (the caller then parses it whole, slowly, and checks
 * each row with the tuple schema): nothing is accepted here that the grammar refuses.
 */
export function splitSyncBody(text: string): { rest: unknown; rows: EncodedSummaryText[] } | null {
  const marker = '"rows":[';
  const start = text.indexOf(marker);
  if (start < 0) return null;
  const row = new RegExp(SUMMARY_TEXT_SOURCE, 'y');
  const rows: EncodedSummaryText[] = [];
  let at = start + marker.length;
  if (text.charCodeAt(at) !== 0x5d /* ] */) {
    for (;;) {
      row.lastIndex = at;
      if (!row.test(text)) return null;
      rows.push(text.slice(at, row.lastIndex));
      at = row.lastIndex;
      if (text.charCodeAt(at) !== 0x2c /* , */) break;
      at += 1;
    }
  }
  if (text.charCodeAt(at) !== 0x5d) return null;
  try {
    return { rest: JSON.parse(`${text.slice(0, start)}${marker}]${text.slice(at + 1)}`), rows };
  } catch {
    return null;
  }
}
