/**
 * The words for Lantern's fixed sets — levels, issue tags, outcomes, rating dimensions —
 * said the same on the badge, the detail card, the popup, the options and rules pages.
 * Each set maps to its message keys here and nowhere else.
 */
import type { IssueTag, Level, Outcome, RatingDimension } from '../core/schemas.js';
import { t } from './i18n.js';

/** A level as a title, on the popup's pill, the card and the rules page ("No warnings"). */
const LEVEL_WORDS: Record<Level, string> = {
  unknown: 'levelWordUnknown',
  ok: 'levelWordOk',
  caution: 'levelWordCaution',
  danger: 'levelWordDanger',
};

/** A level inside a sentence, for the badge's screen reader label ("no warnings"). */
const LEVEL_LABELS: Record<Level, string> = {
  unknown: 'levelLabelUnknown',
  ok: 'levelLabelOk',
  caution: 'levelLabelCaution',
  danger: 'levelLabelDanger',
};

/** `fewReviews`: some reviews, too few for a level (issue 12) — "No level yet", not "No reviews yet". */
export function levelWord(level: Level, fewReviews = false): string {
  return fewReviews ? t('sampleLevelWord') : t(LEVEL_WORDS[level]);
}

/** `levelWord` in lower case, for the middle of a sentence: "too few reviews for a level", "caution". */
export function levelLabel(level: Level, fewReviews = false): string {
  return fewReviews ? t('sampleLevelLabel') : t(LEVEL_LABELS[level]);
}

/** The order the card and the rules page list issues in (a literal, so a bundle that doesn't list them drops it). */
export const ISSUE_ORDER: readonly IssueTag[] = ['broken', 'unpaid_screener', 'personal_data', 'phishing'];

/** The tag's name and what it means. */
const ISSUES: Record<IssueTag, { label: string; meaning: string }> = {
  broken: { label: 'tagBroken', meaning: 'rulesPageIssueBroken' },
  unpaid_screener: { label: 'tagUnpaidScreener', meaning: 'rulesPageIssueUnpaidScreener' },
  personal_data: { label: 'tagPersonalData', meaning: 'rulesPageIssuePersonalData' },
  phishing: { label: 'tagPhishing', meaning: 'rulesPageIssuePhishing' },
};

export const tagLabel = (tag: IssueTag): string => t(ISSUES[tag].label);
export const tagMeaning = (tag: IssueTag): string => t(ISSUES[tag].meaning);

export const outcomeLabel = (outcome: Outcome): string => t(`outcome_${outcome}`);

const DIMENSION_KEYS: Record<RatingDimension, string> = {
  pay: 'ratingPay',
  fairness: 'ratingFairness',
  speed: 'ratingSpeed',
  communication: 'ratingCommunication',
};

export function dimensionLabel(dimension: RatingDimension): string {
  return t(DIMENSION_KEYS[dimension]);
}
