/** A suspension report's size in words ("2 tasks", "1 requester"): the form's summary and the outbox. */
import { t, uiLocale } from '../i18n.js';

let rules: Intl.PluralRules | null = null;

function counted(n: number, one: string, other: string): string {
  rules ??= new Intl.PluralRules(uiLocale());
  return t(rules.select(n) === 'one' ? one : other, String(n));
}

export function reportSizeWords(counts: { tasks: number; requesters: number }): [tasks: string, requesters: string] {
  return [counted(counts.tasks, 'reportCountTaskOne', 'reportCountTaskOther'), counted(counts.requesters, 'reportCountRequesterOne', 'reportCountRequesterOther')];
}
