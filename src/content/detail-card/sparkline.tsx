/**
 * Hourly pay of the loaded reviews, oldest → newest, as a small inline SVG with a text
 * alternative; a dashed line marks the worker's own minimum when it is known.
 */
import type { PublicReview } from '../../core/sync-protocol.js';
import { formatMoney } from '../../ui/format.js';
import { t, tPlural } from '../../ui/i18n.js';
import { payPoints, sparkGeometry } from './geometry.js';

const W = 120;
const H = 28;

export function Sparkline({ reviews, threshold }: { reviews: PublicReview[]; threshold: { cents: number; currency: string } | null }) {
  const pay = payPoints(reviews);
  if (!pay) return null;
  const values = pay.values;
  const limit = threshold && threshold.currency === pay.currency ? threshold.cents : null;
  const spark = sparkGeometry(values, W, H, limit);
  if (!spark) return null;
  const money = (cents: number) => formatMoney(cents, pay.currency);
  const range = tPlural('pluralCardSparkline', values.length, [money(spark.min), money(spark.max)]);
  const label = limit === null ? range : `${range} ${t('cardSparklineLimit', money(limit))}`;
  const last = spark.dots[spark.dots.length - 1];
  return (
    <div class="spark">
      <svg role="img" aria-label={label} viewBox={`0 0 ${W} ${H}`} width={W} height={H} focusable="false">
        <title>{label}</title>
        {spark.thresholdY !== null && <line class="limit" x1="0" x2={W} y1={spark.thresholdY} y2={spark.thresholdY} />}
        {values.length > 1 && <polyline points={spark.line} />}
        {last && <circle cx={last.x} cy={last.y} r="2.5" />}
      </svg>
      <span class="sub" aria-hidden="true">
        {label}
      </span>
    </div>
  );
}
