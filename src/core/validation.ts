/** Turning zod errors into one readable line that names the field. */
import type { core } from 'zod/mini';

export function describeIssues(error: core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
}

/** The first field path an error names, for clients that highlight a form field. */
export function firstField(error: core.$ZodError): string {
  const path = error.issues[0]?.path ?? [];
  return path.length ? path.join('.') : '(body)';
}
