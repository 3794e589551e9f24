/**
 * Small conversions the pages' forms need: money typed as "7.25" ↔ cents, today's date,
 * minutes. Numbers and dates shown to the worker are formatted in `ui/format.ts`.
 */

/** "7.25", "7,25", "7", ".5" → 725, 725, 700, 50; anything else (or > 2 decimals) → null. */
export function parseMoney(input: string): number | null {
  const text = input.trim().replace(/^[$£€]\s*/, '');
  const normal = text.includes('.') ? text : text.replace(',', '.');
  if (!/^(?:\d{1,7}(?:\.\d{0,2})?|\.\d{1,2})$/.test(normal)) return null;
  return Math.round(Number(normal) * 100);
}

/** Cents → "7.25" for an input field (no currency sign, dot decimal). */
export function centsToInput(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  return (cents / 100).toFixed(2);
}

/** A number field's text → number, '' → null, not a number → NaN (schemas then name it). */
export function parseOptionalNumber(input: string): number | null {
  const text = input.trim().replace(',', '.');
  if (text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole minutes since `since` (ms), at least 1. */
export function minutesSince(since: number, now = Date.now()): number {
  return Math.max(1, Math.round((now - since) / 60_000));
}
