/**
 * Refusals in a worker's words. Checks in the background and on the server describe a
 * problem in fixed English phrases (`core/validation.ts` `issueText`, and the schemas' own
 * sentences); here each known phrase becomes a sentence in the worker's language, so no
 * "Invalid input", regex or key pattern reaches them. Unknown text passes as it is
 * (it is already words: a server's or a network's message).
 */
import { t, tPlural } from './i18n.js';

type Rule = [pattern: RegExp, words: (match: RegExpExecArray) => string];

const num = (text: string) => Number(text);

const RULES: Rule[] = [
  // The schemas' own sentences (core/requester-key.ts, core/fields.ts, core/schemas.ts).
  // A key fitting no platform: `must be "<platform>:…" …` (core/requester-key.ts builds it from the platform table).
  [/^must be "[a-z][a-z0-9]*:/, () => t('pluralErrRequesterKey')],
  [/^letters, digits, "_" and "-" only$/, () => t('pluralErrIdChars')],
  [/^must be an https:\/\/ address/, () => t('pluralErrServerUrl')],
  [/^pick at least one task or name a requester$/, () => t('pluralErrPickSomething')],
  [/^each task needs its requester$/, () => t('pluralErrTaskRequester')],
  [/^requester and requesterName go together$/, () => t('pluralErrRequesterName')],
  [/^a flag for "other" needs a note of at least (\d+) characters$/, (m) => tPlural('pluralErrOtherNote', num(m[1]!))],
  // core/schemas.ts REVIEW_SAYS_NOTHING (matched, not imported: the card's bundle stays free of the schemas).
  [/^give at least one rating or write at least (\d+) characters$/, (m) => t('formErrorSaySomething', m[1]!)],
  // issueText's phrases, from an issue's code and limits.
  [/^is missing or not text$/, () => t('pluralErrText')],
  [/^is missing or not (?:a number|a whole number)$/, () => t('pluralErrNumber')],
  [/^is missing or not true or false$/, () => t('pluralErrChoice')],
  [/^is missing or not a list$/, () => t('pluralErrPick')],
  [/^is empty$/, () => t('pluralErrText')],
  [/^must be at least (\d+) characters$/, (m) => tPlural('pluralErrTooShort', num(m[1]!))],
  [/^must be at most (\d+) characters$/, (m) => tPlural('pluralErrTooLong', num(m[1]!))],
  [/^must have at least (\d+) items$/, (m) => tPlural('pluralErrTooFew', num(m[1]!))],
  [/^must have at most (\d+) items$/, (m) => tPlural('pluralErrTooMany', num(m[1]!))],
  [/^must be at least (-?[\d.]+)$/, (m) => t('pluralErrAtLeast', m[1]!)],
  [/^must be at most (-?[\d.]+)$/, (m) => t('pluralErrAtMost', m[1]!)],
  [/^must be more than (-?[\d.]+)$/, (m) => t('pluralErrMoreThan', m[1]!)],
  [/^must be less than (-?[\d.]+)$/, (m) => t('pluralErrLessThan', m[1]!)],
  [/^must be one of: /, () => t('pluralErrChoice')],
  [/^must be a web address$/, () => t('pluralErrUrl')],
  // core/fields.ts: what a text may not hold (TEXT_CONTROL, TEXT_NOT_UNICODE, TEXT_NONCHARACTER).
  [/^(?:control characters are not allowed|must be Unicode text \(it has a lone surrogate\)|has a Unicode noncharacter)$/, () => t('pluralErrOddCharacters')],
  [/^(?:is not in the expected form|is not valid|is missing or not .*|has fields it should not: .*|Invalid input.*)$/, () => t('pluralErrInvalid')],
];

/** One problem (the text after "field: ") in the worker's words. */
export function plainError(text: string): string {
  for (const [pattern, words] of RULES) {
    const match = pattern.exec(text);
    if (match) return words(match);
  }
  return text;
}

/** A message's own prefix (`ui/submit: `, `content/block reply: `): how it was sent, not what is wrong. */
const SENT_AS = /^(?:ui|tab|content)\/[a-z-]+(?: reply)?: /;

/**
 * A whole refusal ("path: problem; path: problem") in words; `label` names a field path in
 * the worker's terms, or returns null to leave the field unnamed.
 */
export function refusalText(raw: string, label: (path: string) => string | null = () => null): string {
  return raw
    .replace(SENT_AS, '')
    .split('; ')
    .map((part) => {
      const match = /^([A-Za-z0-9_.()]+): (.+)$/.exec(part);
      if (!match) return plainError(part);
      const [, path, problem] = match as unknown as [string, string, string];
      // Money is typed in units but checked in cents: its limits are said as an amount to type.
      const words = /cents$/i.test(path) && /^must be (?:at least|at most|more than|less than) /.test(problem) ? t('errorMoney') : plainError(problem);
      const name = path === '(body)' ? null : label(path);
      return name ? `${name}: ${words}` : words;
    })
    .join('; ');
}
