/** Words and numbers the card needs beyond `ui/i18n.ts`: days, counts, outcomes, tags. */
import type { IssueTag, Level, Outcome } from '../../core/schemas.js';
import { t, uiLocale } from '../../ui/i18n.js';

function locale(): string {
  return uiLocale();
}

/** "2025-03-04" → "Mar 4, 2025" in the worker's language (a calendar day, no time zone shift). */
export function formatDay(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

export const LEVEL_WORDS: Record<Level, string> = {
  unknown: 'levelWordUnknown',
  ok: 'levelWordOk',
  caution: 'levelWordCaution',
  danger: 'levelWordDanger',
};

const TAG_KEYS: Record<IssueTag, string> = {
  unpaid_screener: 'tagUnpaidScreener',
  broken: 'tagBroken',
  personal_data: 'tagPersonalData',
  phishing: 'tagPhishing',
};

export const tagLabel = (tag: IssueTag): string => t(TAG_KEYS[tag]);
export const outcomeLabel = (outcome: Outcome): string => t(`outcome_${outcome}`);
