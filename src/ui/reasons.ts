/** Warning reasons in words, for badges, cards and the popup. */
import type { Reason } from '../core/schemas.js';
import { formatMoney, formatRating, formatShare } from './format.js';
import { t, tPlural } from './i18n.js';
import { dimensionLabel } from './labels.js';

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
