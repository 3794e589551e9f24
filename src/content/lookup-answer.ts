/**
 * A `content/lookup` answer made into what content features show: each row decoded under
 * the rules sent along and assessed against the worker's thresholds here, in the page's
 * content script (the same `assess` the background and badge index run), so the message
 * carries row texts only.
 */
import type { LookupResult } from '../core/messages.js';
import { assess } from '../core/rating.js';
import type { Rules, Thresholds } from '../core/rules.js';
import { decodeSummary } from '../core/summary-codec.js';
import { readSummaryText } from '../core/summary-text.js';
import type { RequesterKey } from '../core/requester-key.js';

export interface LookupAnswerRows {
  rules: Rules;
  thresholds: Thresholds;
  results: { key: RequesterKey; row: string | null; blocked: boolean }[];
}

export function lookupResults(answer: LookupAnswerRows): LookupResult[] {
  const { rules, thresholds } = answer;
  return answer.results.map(({ key, row, blocked }) => {
    const summary = row === null ? null : decodeSummary(readSummaryText(row), rules);
    return { key, summary, assessment: assess(summary, thresholds, rules), blocked };
  });
}
