/**
 * Field errors in a worker's words, every one at once. The form checks a draft with the
 * same zod schema the server applies and maps each issue to its field; a refusal from the
 * server ("text: …; minutes: …", naming its first field) is mapped the same way, so an
 * error reads the same and sits beside the same field wherever it was found.
 */
import { REVIEW_MIN_TEXT } from '../../core/rules.js';
import { REVIEW_SAYS_NOTHING } from '../../core/schemas.js';
import { plainError } from '../error-words.js';
import { t } from '../i18n.js';

/** Field path (`reward`, `ratings.pay`, `text`) → what is wrong with it, in words. */
export type FieldErrors = Record<string, string>;

/** The part of a zod issue the words depend on (zod/mini's issue shapes, loosely). */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
}

/** Money is typed in units but kept in cents: its limits are said as "too large", not as a cent count. */
const MONEY_FIELDS = new Set(['reward', 'bonusCents']);

/** One issue in words. Developer words ("Invalid input", "expected number") never reach the worker. */
export function issueWords(issue: IssueLike): string {
  const path = issue.path.map(String);
  const field = path[0] === 'reward' ? 'reward' : path.join('.');
  if (issue.message === REVIEW_SAYS_NOTHING) return t('formErrorSaySomething', [String(REVIEW_MIN_TEXT)]);
  const limit = (n: number | bigint | undefined) => String(n ?? '');
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' || issue.origin === 'array') return Number(issue.minimum) <= 1 ? t('formErrorRequired') : t('formErrorTooShort', [limit(issue.minimum)]);
      return MONEY_FIELDS.has(field) ? t('errorMoney') : t('formErrorTooSmall', [limit(issue.minimum)]);
    case 'too_big':
      if (issue.origin === 'string' || issue.origin === 'array') return t('formErrorTooLong', [limit(issue.maximum)]);
      return MONEY_FIELDS.has(field) ? t('formErrorAmountTooLarge') : t('formErrorTooLarge', [limit(issue.maximum)]);
    case 'invalid_type':
      return issue.message.includes('undefined') ? t('formErrorRequired') : t('formErrorInvalid');
    case 'custom':
      // The schema's own sentences (server and extension share them) are already words.
      return issue.message;
    default:
      return t('formErrorInvalid');
  }
}

/** Every issue to its field; the first issue of a field wins (it is the one to fix first). */
export function issuesToFields(issues: readonly IssueLike[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String);
    // reward.cents and reward.currency are one control pair, shown at "reward".
    const field = path[0] === 'reward' && path[1] === 'cents' ? 'reward' : path.length ? path.join('.') : '(body)';
    errors[field] ??= issueWords(issue);
  }
  return errors;
}

/**
 * A refusal from the background or the server, as field errors. Its message is
 * `describeIssues`' "path: message; path: message" (possibly after a `ui/submit: ` and
 * `submission.payload.` prefix); a message naming no field goes under `fallbackField`.
 */
export function refusalToFields(message: string, fallbackField: string | null): FieldErrors {
  const errors: FieldErrors = {};
  const body = message.replace(/^(?:ui|tab)\/[a-z-]+(?: reply)?: /, '');
  for (const part of body.split('; ')) {
    const match = /^([A-Za-z0-9_.()]+): (.+)$/.exec(part);
    const path = match ? match[1]!.replace(/^(?:submission\.)?(?:payload\.)?/, '') : (fallbackField ?? '(body)');
    const text = match ? match[2]! : part;
    const field = path === 'reward.cents' ? 'reward' : path;
    // The server's phrases (core/validation.ts) in the worker's words, like any other refusal.
    errors[field] ??= text === REVIEW_SAYS_NOTHING ? t('formErrorSaySomething', [String(REVIEW_MIN_TEXT)]) : plainError(text);
  }
  return errors;
}
