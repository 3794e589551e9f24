/** The small building blocks of Lantern's schemas: ratings, outcomes, task ids, money. */
import * as z from 'zod/mini';
import { Currency, int } from './rules.js';

export { Currency } from './rules.js';

/** 1–5, or null for "n/a". */
export const Rating = z.nullable(int(1, 5));
export const RATING_DIMENSIONS = ['pay', 'fairness', 'speed', 'communication'] as const;
export type RatingDimension = (typeof RATING_DIMENSIONS)[number];

export const ISSUE_TAGS = ['unpaid_screener', 'broken', 'personal_data', 'phishing'] as const;
export const IssueTag = z.enum(ISSUE_TAGS);
export type IssueTag = z.infer<typeof IssueTag>;

export const OUTCOMES = ['approved', 'rejected', 'pending', 'returned'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const ID_CHARS = /^[0-9A-Za-z_-]+$/;
/** Task ids: MTurk group ids (30 chars) or Prolific study ids; permissive but plain. */
export const TaskId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(ID_CHARS, 'letters, digits, "_" and "-" only'));

/**
 * Text that is stored and shown: the same on SQLite and PostgreSQL, and safe to display.
 * Both databases store any well-formed Unicode but refuse or mangle the rest differently
 * (PostgreSQL text refuses NUL — a flag's or a report's note with one was a 500 there and a
 * row on SQLite; a lone surrogate becomes U+FFFD in a text column but stays an escape inside
 * a JSON row), so what could differ is refused here, on every side alike:
 *
 * - first the text is trimmed (as release 0.1.0 did before its check: a name or title read
 *   from a page attribute may end in a line feed or tab), and in multi-line text the other
 *   line breaks — VT (Word's manual line break pastes as one), FF, NEL, LS, PS — become
 *   "\n", so a pasted paragraph is the same text whatever wrote it;
 * - lone surrogates (not Unicode text) and noncharacters (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF);
 * - control characters left after that: C0 (tab, line feed and carriage return allowed in
 *   multi-line text), DEL and C1 — NUL among them;
 * - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are removed,
 *   not refused: they reorder text around them ("Trojan Source"), and a real page's name
 *   may carry one harmlessly;
 * - the rest is put in NFC, so "é" typed as one code point or as e + U+0301 is one text
 *   (equal for duplicates, sorting and searching), and its length is counted after that.
 *
 * Every plane is accepted otherwise (emoji, CJK extensions, plane 14 tags, private use).
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
/** Line breaks other than LF and CR: VT, FF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. */
const OTHER_LINE_BREAKS = /[\u000b\u000c\u0085\u2028\u2029]/g;
/** U+FDD0–U+FDEF, and the last two code points of every plane (U+xFFFE, U+xFFFF). */
const isNoncharacter = (cp: number): boolean => (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
function hasNoncharacter(s: string): boolean {
  for (const ch of s) if (isNoncharacter(ch.codePointAt(0)!)) return true;
  return false;
}
const CONTROLS_ONE_LINE = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export const TEXT_NOT_UNICODE = 'must be Unicode text (it has a lone surrogate)';
export const TEXT_NONCHARACTER = 'has a Unicode noncharacter';
export const TEXT_CONTROL = 'control characters are not allowed';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Well-formed (no lone surrogate): String.prototype.isWellFormed where it exists. */
function isWellFormed(s: string): boolean {
  const native = (s as { isWellFormed?: () => boolean }).isWellFormed;
  LONE_SURROGATE.lastIndex = 0;
  return native ? native.call(s) : !LONE_SURROGATE.test(s);
}

/** What every text goes through before it is checked: trimmed, other line breaks made "\n" (multi-line). */
function prepareText(s: string, multiLine: boolean): string {
  return (multiLine ? s.replace(OTHER_LINE_BREAKS, '\n') : s).trim();
}

/** The checks every stored text passes, in order: prepare, refuse what is not text, then normalise, then bound. */
export const cleanTextChecks = (max: number, multiLine: boolean) =>
  [
    z.overwrite<string>((s) => prepareText(s, multiLine)),
    z.refine<string>((s) => isWellFormed(s), { message: TEXT_NOT_UNICODE, abort: true }),
    z.refine<string>((s) => !(multiLine ? CONTROLS_MULTI_LINE : CONTROLS_ONE_LINE).test(s), { message: TEXT_CONTROL, abort: true }),
    z.refine<string>((s) => !hasNoncharacter(s), { message: TEXT_NONCHARACTER, abort: true }),
    z.overwrite<string>((s) => s.replace(BIDI_CONTROLS, '').normalize('NFC').trim()),
    z.maxLength(max),
  ] as const;

/** The messages of the checks above that `repairText` mends. */
export const TEXT_REFUSALS: readonly string[] = [TEXT_NOT_UNICODE, TEXT_CONTROL, TEXT_NONCHARACTER];

const A_CONTROL = /^[\u0000-\u001f\u007f-\u009f]$/;
const ONE_LINE_BREAKS = /[\t\n\r\u000b\u000c\u0085\u2028\u2029]+/g;

/**
 * Text stored by an older release (0.1.0 had no control-character check) made acceptable
 * to the checks above, for reading it back, never for new input. Line breaks and tabs
 * keep their meaning: "\n" in multi-line text, one space in one-line text. What the
 * checks refuse outright — lone surrogates, noncharacters, NUL and the other controls —
 * becomes U+FFFD (the replacement character) rather than vanishing: the text keeps a
 * visible mark where something unreadable was, as a browser shows a broken byte, and
 * words either side of it are not run together.
 */
export function repairText(s: string, multiLine: boolean): string {
  const breaks = multiLine ? s.replace(OTHER_LINE_BREAKS, '\n') : s.replace(ONE_LINE_BREAKS, ' ');
  let out = '';
  for (const ch of breaks.replace(LONE_SURROGATE, '\ufffd')) {
    const cp = ch.codePointAt(0)!;
    const keptControl = multiLine && (ch === '\t' || ch === '\n' || ch === '\r');
    out += isNoncharacter(cp) || (!keptControl && A_CONTROL.test(ch)) ? '\ufffd' : ch;
  }
  return out;
}

/** Display text from a platform page: one line, trimmed, bounded, clean (above). */
export const displayText = (max: number) => z.string().check(...cleanTextChecks(max, false));
/** Optional free text (may span lines): trimmed, bounded, clean (above), empty when absent. */
export const freeText = (max: number) => z._default(z.string().check(...cleanTextChecks(max, true)), '');

export const RequesterName = displayText(200).check(z.minLength(1));

/** Money in minor units (cents, pence): integers keep sums exact. */
export const Money = z.strictObject({ cents: int(0, 1_000_000), currency: Currency });
export type Money = z.infer<typeof Money>;

