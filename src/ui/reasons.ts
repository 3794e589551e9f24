/** Warning reasons in words, for badges, cards and the popup. */
import type { RatingDimension, Reason } from '../core/schemas.js';
import { formatMoney, formatRating, formatShare, t, tPlural } from './i18n.js';

const DIMENSION_KEYS: Record<RatingDimension, string> = {
  pay: 'ratingPay',
  fairness: 'ratingFairness',
  speed: 'ratingSpeed',
  communication: 'ratingCommunication',
};

export function dimensionLabel(dimension: RatingDimension): string {
  return t(DIMENSION_KEYS[dimension]);
}

export function describeReason(reason: Reason): string {
  switch (reason.code) {
    case 'suspensions':
      return reason.confirmed ? t('reasonSuspensionsConfirmed') : tPlural('pluralReasonSuspensions', reason.accounts);
    case 'phishing':
      return reason.confirmed ? t('reasonPhishingConfirmed') : tPlural('pluralReasonPhishing', reason.accounts);
    case 'suspension_reports':
      return tPlural('pluralReasonSuspensionReports', reason.accounts);
    case 'low_pay':
      return t('reasonLowPay', [formatMoney(reason.centsPerHour, reason.currency), formatMoney(reason.thresholdCents, reason.currency)]);
    case 'rejections':
      return t('reasonRejections', formatShare(reason.share));
    case 'low_rating':
      return t('reasonLowRating', [dimensionLabel(reason.dimension), formatRating(reason.mean), formatRating(reason.threshold)]);
  }
}
