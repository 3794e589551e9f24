/**
 * "Last 90 days" beside "All time": the four ratings, hourly pay, rejections, days to a
 * decision and the review count. A real table, so screen readers name each cell's row
 * and column.
 */
import type { ComponentChildren } from 'preact';
import { RATING_DIMENSIONS } from '../../core/fields.js';
import type { RatingStat, RequesterSummary, WindowStats } from '../../core/summary.js';
import { formatCount, formatMoney, formatRating, formatShare } from '../../ui/format.js';
import { t, tPlural } from '../../ui/i18n.js';
import { dimensionLabel } from '../../ui/labels.js';

type Cell = { main: string; sub?: string; warn?: boolean };

const none = (): Cell => ({ main: t('statNone') });

function ratingCell(stat: RatingStat): Cell {
  if (stat.mean === null || stat.count === 0) return none();
  const sub = tPlural('pluralRatings', stat.count);
  return { main: formatRating(stat.mean), sub: stat.tooFew ? `${sub} ${t('cardTooFew')}` : sub, warn: stat.tooFew };
}

function hourlyCell(w: WindowStats): Cell {
  if (!w.hourly) return none();
  return { main: t('badgePerHour', formatMoney(w.hourly.centsPerHour, w.hourly.currency)), sub: tPlural('pluralTasks', w.hourly.tasks) };
}

function rejectionCell(w: WindowStats): Cell {
  if (w.rejectionShare === null) return none();
  return { main: formatShare(w.rejectionShare), sub: t('cardDecided', formatCount(w.decided)) };
}

function daysCell(w: WindowStats): Cell {
  return w.meanDaysToDecision === null ? none() : { main: tPlural('pluralDays', w.meanDaysToDecision, [], 1) };
}

function Row({ label, cells }: { label: string; cells: [Cell, Cell] }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      {cells.map((cell, i) => (
        <td key={i}>
          {cell.main}
          {cell.sub && <span class={cell.warn ? 'sub few' : 'sub'}>{cell.sub}</span>}
        </td>
      ))}
    </tr>
  );
}

export function StatsTable({ summary }: { summary: RequesterSummary }): ComponentChildren {
  const both = (f: (w: WindowStats) => Cell): [Cell, Cell] => [f(summary.recent), f(summary.allTime)];
  return (
    <table class="stats">
      <caption class="sr">{t('cardStatsCaption')}</caption>
      <thead>
        <tr>
          <td />
          <th scope="col">{t('cardRecent')}</th>
          <th scope="col">{t('cardAllTime')}</th>
        </tr>
      </thead>
      <tbody>
        {RATING_DIMENSIONS.map((dim) => (
          <Row key={dim} label={dimensionLabel(dim)} cells={both((w) => ratingCell(w.ratings[dim]))} />
        ))}
        <Row label={t('statHourly')} cells={both(hourlyCell)} />
        <Row label={t('statRejections')} cells={both(rejectionCell)} />
        <Row label={t('statDaysToDecision')} cells={both(daysCell)} />
        <Row label={t('statReviews')} cells={both((w) => ({ main: formatCount(w.reviews) }))} />
      </tbody>
    </table>
  );
}
