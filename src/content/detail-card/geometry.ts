/**
 * Pure geometry for the detail card: where to put it beside its badge, and the points of
 * the pay sparkline. No DOM and no strings here, so unit tests run in plain Node.
 */
import type { PublicReview } from '../../core/sync-protocol.js';

export interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}
export interface Placement {
  top: number;
  left: number;
  maxHeight: number;
  side: 'below' | 'above';
}

const MARGIN = 8;
const GAP = 4;

/** Below this much room, a card that fits on neither side overlaps its badge instead of squeezing. */
const MIN_ROOM = 200;

/**
 * Below the anchor; above it when it doesn't fit below but does above. When it fits on
 * neither side it goes to the roomier one and scrolls inside (or, with very little room,
 * overlaps the badge). Always inside the viewport.
 */
export function placeCard(anchor: Box, size: { width: number; height: number }, viewport: { width: number; height: number }): Placement {
  const full = Math.max(0, viewport.height - 2 * MARGIN);
  const below = anchor.bottom + GAP;
  const roomBelow = viewport.height - MARGIN - below;
  const roomAbove = anchor.top - GAP - MARGIN;
  const side = size.height <= roomBelow || (size.height > roomAbove && roomBelow >= roomAbove) ? 'below' : 'above';
  const room = side === 'below' ? roomBelow : roomAbove;
  const maxHeight = room >= Math.min(size.height, MIN_ROOM) ? room : full;
  const height = Math.min(size.height, maxHeight);
  const wanted = side === 'below' ? below : anchor.top - GAP - height;
  const top = clamp(wanted, MARGIN, viewport.height - MARGIN - height);
  const left = clamp(anchor.left, MARGIN, viewport.width - MARGIN - size.width);
  return { top: Math.round(top), left: Math.round(left), maxHeight: Math.floor(maxHeight), side };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, Math.max(min, max)));
}

/** Hourly pay of one review in minor units: (reward + bonus) ÷ minutes × 60, for finished, timed work only. */
export function reviewCentsPerHour(r: Pick<PublicReview, 'finished' | 'minutes' | 'reward' | 'bonusCents'>): number | null {
  return r.finished && r.minutes !== null && r.minutes > 0 ? ((r.reward.cents + r.bonusCents) / r.minutes) * 60 : null;
}

/**
 * Hourly pay per review, oldest → newest, from reviews given newest first (as the server
 * sends them). One currency only, the newest timed review's: amounts in others are
 * never converted or mixed in.
 */
export function payPoints(newestFirst: readonly PublicReview[]): { currency: string; values: number[] } | null {
  const timed = newestFirst.filter((r) => reviewCentsPerHour(r) !== null);
  const currency = timed[0]?.reward.currency;
  if (!currency) return null;
  const values = timed.filter((r) => r.reward.currency === currency).map((r) => reviewCentsPerHour(r) as number);
  return { currency, values: values.reverse() };
}

export interface Spark {
  /** SVG polyline points, "x,y x,y". */
  line: string;
  dots: Array<{ x: number; y: number }>;
  /** y of the threshold line, when a threshold was given. */
  thresholdY: number | null;
  min: number;
  max: number;
}

/** Scales points into a width × height box, with 0 at the bottom so heights aren't misleading. */
export function sparkGeometry(values: readonly number[], width: number, height: number, threshold: number | null = null, pad = 3): Spark | null {
  if (values.length === 0) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const top = Math.max(max, threshold ?? 0) * 1.1 || 1;
  const y = (v: number) => round(height - pad - (v / top) * (height - 2 * pad));
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const dots = values.map((v, i) => ({ x: round(values.length > 1 ? pad + i * step : width / 2), y: y(v) }));
  return {
    line: dots.map((d) => `${d.x},${d.y}`).join(' '),
    dots,
    thresholdY: threshold === null ? null : y(threshold),
    min,
    max,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
