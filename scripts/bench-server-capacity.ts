/**
 * How many workers one machine serves, from the rates bench:server measured (the server
 * saturated by one kind of request at a time). Each request kind costs 1/rate seconds of
 * the whole server; a worker's day is a sum of such costs; the machine may spend only a
 * share of the day busy, so that the busiest hour still fits. docs/deploy.md "Capacity"
 * quotes these assumptions; change them here and there together.
 */

export const ASSUMPTIONS = {
  /** Every worker's extension polls every 5 minutes: one delta request each. */
  pollsPerWorkerDay: 86_400 / 300,
  /** New installs (and replicas rebuilt) per day, as a share of workers: one snapshot each. */
  snapshotsPerWorkerDay: 0.01,
  /** Review texts fetched by bucket (detail cards opened whose bucket is not cached). */
  bucketsPerWorkerDay: 5,
  /** Reviews written per worker per day (500k workers → 10,000 reviews a day). */
  reviewsPerWorkerDay: 0.02,
  /** The share of the day the server may be busy: the busiest hour at twice the average still fits. */
  busyShare: 0.5,
} as const;

export interface MeasuredRates {
  deltaRps: number;
  snapshotRps: number;
  bucketRps: number;
  postRps: number;
}

export interface Capacity {
  /** Server-seconds one worker costs per day, by request kind. */
  secondsPerWorkerDay: { delta: number; snapshot: number; bucket: number; post: number; total: number };
  workers: number;
  rates: MeasuredRates;
}

export function capacity(rates: MeasuredRates, assumptions = ASSUMPTIONS): Capacity {
  const delta = assumptions.pollsPerWorkerDay / rates.deltaRps;
  const snapshot = assumptions.snapshotsPerWorkerDay / rates.snapshotRps;
  const bucket = assumptions.bucketsPerWorkerDay / rates.bucketRps;
  const post = assumptions.reviewsPerWorkerDay / rates.postRps;
  const total = delta + snapshot + bucket + post;
  return { secondsPerWorkerDay: { delta, snapshot, bucket, post, total }, workers: Math.floor((86_400 * assumptions.busyShare) / total), rates };
}

export function printCapacity(backend: string, c: Capacity, assumptions = ASSUMPTIONS): void {
  const ms = (s: number) => `${(s * 1000).toFixed(2)} ms`;
  const s = c.secondsPerWorkerDay;
  console.log(`\nCapacity (${backend}), one worker's day in server time:`);
  console.log(`  ${assumptions.pollsPerWorkerDay} polls ÷ ${Math.round(c.rates.deltaRps)} delta req/s   = ${ms(s.delta)}`);
  console.log(`  ${assumptions.snapshotsPerWorkerDay} snapshots ÷ ${Math.round(c.rates.snapshotRps)} snapshot req/s = ${ms(s.snapshot)}`);
  console.log(`  ${assumptions.bucketsPerWorkerDay} buckets ÷ ${Math.round(c.rates.bucketRps)} bucket req/s   = ${ms(s.bucket)}`);
  console.log(`  ${assumptions.reviewsPerWorkerDay} reviews ÷ ${Math.round(c.rates.postRps)} POST req/s     = ${ms(s.post)}`);
  console.log(`  total ${ms(s.total)}; busy ${assumptions.busyShare * 100}% of 86,400 s → ${c.workers.toLocaleString()} workers`);
}
