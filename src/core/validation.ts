/**
 * Turning zod errors into one readable line that names the field. zod/mini carries no
 * words of its own (every issue says "Invalid input"), so each issue is said here from its
 * code and limits, in fixed English phrases: readable for API clients, and stable, so the
 * extension can put them in the worker's language (`ui/error-words.ts`).
 */
import type { core } from 'zod/mini';

/** What an issue says about its value: the schema's own sentence, or words from its code. */
export function issueText(issue: core.$ZodIssue): string {
  if (issue.message && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `is missing or not ${EXPECTED[issue.expected] ?? 'of the right kind'}`;
    case 'too_small':
      return limitText('at least', issue.origin, issue.minimum, issue.inclusive);
    case 'too_big':
      return limitText('at most', issue.origin, issue.maximum, issue.inclusive);
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'must be a web address' : 'is not in the expected form';
    case 'unrecognized_keys':
      return `has fields it should not: ${issue.keys.join(', ')}`;
    default:
      return 'is not valid';
  }
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

function limitText(side: 'at least' | 'at most', origin: string, limit: number | bigint, inclusive: boolean | undefined): string {
  const n = Number(limit);
  switch (origin) {
    case 'string':
      return side === 'at least' && n <= 1 ? 'is empty' : `must be ${side} ${n} characters`;
    case 'array':
    case 'set':
      return `must have ${side} ${n} items`;
    default:
      // Exclusive bounds (`> 0`) are said as the next whole value a worker would type.
      return inclusive === false ? `must be ${side === 'at least' ? 'more' : 'less'} than ${n}` : `must be ${side} ${n}`;
  }
}

export function describeIssues(error: core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issueText(issue)}`)
    .join('; ');
}

/** The first field path an error names, for clients that highlight a form field. */
export function firstField(error: core.$ZodError): string {
  const path = error.issues[0]?.path ?? [];
  return path.length ? path.join('.') : '(body)';
}
