/**
 * The wire formats between the reputation server and the extension's background:
 * the sync feed (snapshot, changes since a version token, checksum), the compact
 * encoding of requester summaries, review buckets fetched by hash prefix, and the
 * responses of the write endpoints. Pure and browser-safe (no Node APIs): the
 * server builds these bodies and the extension's service worker checks them.
 */
import * as z from 'zod/mini';
import { RequesterKey } from './requester-key.js';
import { int } from './rules.js';
import { fnv1a32 } from './hash.js';
import { describeIssues } from './validation.js';
import { EncodedSummaryText, splitSyncBody, summaryText } from './summary-text.js';

/** Bump when a body below changes shape; old clients then see a 400 and update. */
export const SYNC_FORMAT = 1;

/** Header every write (POST/PUT/DELETE of reviews, reports, flags) must carry. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** A client-made random id per logical write, reused verbatim on every retry (a UUID fits). */
export const IdempotencyKey = z.string().check(z.minLength(8), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/));

// ---------------------------------------------------------------- version token

/**
 * `<epoch>.<seq>`: `seq` counts summary changes; `epoch` names the database, so a token
 * from another server (or a reset database) is rejected instead of silently misapplied.
 */
export const VersionToken = z.string().check(z.maxLength(40), z.regex(/^[A-Za-z0-9_-]{4,16}\.(0|[1-9][0-9]{0,14})$/, 'not a version token'));
export type VersionToken = z.infer<typeof VersionToken>;

export function formatVersionToken(epoch: string, seq: number): VersionToken {
  return `${epoch}.${seq}`;
}

/** Null when the text is not a token (use `VersionToken.safeParse` for a message). */
export function parseVersionToken(token: string): { epoch: string; seq: number } | null {
  if (!VersionToken.safeParse(token).success) return null;
  const dot = token.indexOf('.');
  return { epoch: token.slice(0, dot), seq: Number(token.slice(dot + 1)) };
}

export { decodeSummary, EncodedSummary, encodeSummary } from './summary-codec.js';
import { EncodedSummary } from './summary-codec.js';

// ---------------------------------------------------------------- checksum

/** The canonical text of a row: what the checksum hashes. */
export function canonicalRow(row: EncodedSummary): string {
  return JSON.stringify(row);
}

export function rowDigest(row: EncodedSummary): number {
  return fnv1a32(canonicalRow(row));
}

/**
 * The replica's checksum: how many requesters it holds, and the sum mod 2^32 of every
 * row's digest. A sum (not a hash chain) so a client updates it per row while applying
 * a delta: subtract the old row's digest, add the new one's.
 */
export const Checksum = z.object({ rows: int(0), sum: int(0, 0xffffffff) });
export type Checksum = z.infer<typeof Checksum>;

export const EMPTY_CHECKSUM: Checksum = { rows: 0, sum: 0 };

/** Replace one row: `before`/`after` are digests, null when the row is absent. */
export function updateChecksum(c: Checksum, before: number | null, after: number | null): Checksum {
  let sum = c.sum;
  let rows = c.rows;
  if (before !== null) {
    sum = (sum - before) >>> 0;
    rows -= 1;
  }
  if (after !== null) {
    sum = (sum + after) >>> 0;
    rows += 1;
  }
  return { rows, sum };
}

export function checksumOf(rows: Iterable<EncodedSummary>): Checksum {
  let c = EMPTY_CHECKSUM;
  for (const row of rows) c = updateChecksum(c, null, rowDigest(row));
  return c;
}

// ---------------------------------------------------------------- sync bodies

/**
 * GET /v1/sync/snapshot: every requester at one version. The server gzips it once per
 * version and serves the same bytes (ETag) to everyone, so a CDN can hold it.
 */
export const SnapshotBody = z.object({
  format: z.literal(SYNC_FORMAT),
  version: VersionToken,
  rulesVersion: int(1),
  /** Hex characters of the bucket prefix to use for review texts (see `bucketPrefix`). */
  bucketPrefixLength: int(0, 16),
  checksum: Checksum,
  rows: z.array(EncodedSummary),
});
export type SnapshotBody = z.infer<typeof SnapshotBody>;

/**
 * GET /v1/sync/changes?since=TOKEN[&limit=N]: the latest row of each requester changed
 * after `since`, oldest change first, at most `limit` rows. While `more` is true, ask
 * again with `version` at once; `checksum` is given only on the last page (the state at
 * `version`), so apply all pages, then compare. A mismatch means: take the snapshot.
 */
export const DeltaBody = z.object({
  format: z.literal(SYNC_FORMAT),
  since: VersionToken,
  version: VersionToken,
  more: z.boolean(),
  rows: z.array(EncodedSummary),
  /** Requesters gone from the replica (merged by moderators). */
  removed: z.array(RequesterKey),
  checksum: z.nullable(Checksum),
  rulesVersion: int(1),
  bucketPrefixLength: int(0, 16),
  /** Seconds to wait before the next poll; the client adds jitter. 0 when `more`. */
  retryAfterSeconds: int(0),
});
export type DeltaBody = z.infer<typeof DeltaBody>;

/** A snapshot's fields but its rows, which are read as checked texts (`readSyncBody`). */
export const SnapshotHead = z.object({ ...SnapshotBody.shape, rows: z.tuple([]) });
export type SnapshotHead = z.infer<typeof SnapshotHead>;
/** A page of changes' fields but its rows. */
export const DeltaHead = z.object({ ...DeltaBody.shape, rows: z.tuple([]) });
export type DeltaHead = z.infer<typeof DeltaHead>;

/**
 * Reads a sync body (snapshot or page of changes) as the extension applies it: every
 * row as its canonical text, checked against the row grammar (summary-text.ts), and the
 * other fields checked by `head`. The texts are cut straight out of the body — no parse
 * of 100k tuples, no re-serialising them for the checksum. A body laid out otherwise
 * (valid JSON all the same) is parsed whole and each row checked as a tuple: slower,
 * same answer.
 */
export function readSyncBody<H>(text: string, head: z.ZodMiniType<H>): { head: H; rows: EncodedSummaryText[] } | { error: string } {
  const split = splitSyncBody(text);
  if (split) {
    const parsed = head.safeParse(split.rest);
    return parsed.success ? { head: parsed.data, rows: split.rows } : { error: describeIssues(parsed.error) };
  }
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    return { error: '(body): not JSON' };
  }
  const rows = z.object({ rows: z.array(EncodedSummary) }).safeParse(whole);
  if (!rows.success) return { error: describeIssues(rows.error) };
  const parsed = head.safeParse({ ...(whole as object), rows: [] });
  if (!parsed.success) return { error: describeIssues(parsed.error) };
  const texts = rows.data.rows.map(summaryText);
  const outside = texts.findIndex((t) => !EncodedSummaryText.safeParse(t).success);
  if (outside >= 0) return { error: `rows.${outside}: a number too large for a summary row` };
  return { head: parsed.data, rows: texts };
}

export const DELTA_DEFAULT_LIMIT = 1000;
export const DELTA_MAX_LIMIT = 5000;

// ---------------------------------------------------------------- review buckets

/** Buckets must average at least this many requesters, so a fetch reveals little. */
const MIN_BUCKET_AVERAGE = 20;

/** The longest prefix (hex chars) whose buckets still average ≥ MIN_BUCKET_AVERAGE requesters. */
export function prefixLengthFor(requesterCount: number): number {
  let length = 0;
  while (length < 8 && requesterCount / 16 ** (length + 1) >= MIN_BUCKET_AVERAGE) length += 1;
  return length;
}

/** The first `length` hex characters of SHA-256(key) — Web Crypto, so it works in the worker too. */
export async function bucketPrefix(key: RequesterKey, length: number): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  let hex = '';
  for (const byte of new Uint8Array(digest).slice(0, Math.ceil(length / 2))) hex += byte.toString(16).padStart(2, '0');
  return hex.slice(0, length);
}

/** GET /v1/buckets?prefix=HEX — the prefix may be empty when the database is small. */
export const BucketQuery = z.strictObject({ prefix: z.string().check(z.maxLength(8), z.regex(/^[0-9a-f]*$/, 'lowercase hex only')) });

export { PublicReview } from './public-review.js';
import { PublicReview } from './public-review.js';

/** Per requester, the most recent visible reviews (at most BUCKET_REVIEWS_PER_REQUESTER). */
export const BUCKET_REVIEWS_PER_REQUESTER = 50;
export const BucketBody = z.object({
  prefix: z.string(),
  bucketPrefixLength: int(0, 16),
  requesters: z.array(
    z.object({ key: RequesterKey, name: z.string(), reviews: z.array(PublicReview), totalVisible: int(0) }),
  ),
});
export type BucketBody = z.infer<typeof BucketBody>;

// ---------------------------------------------------------------- accounts and writes

/** POST /v1/accounts → 201. The secret is shown once; the server keeps only its hash. */
export const AccountCreated = z.object({ accountSecret: z.string().check(z.minLength(43)), createdAt: z.iso.datetime() });
export type AccountCreated = z.infer<typeof AccountCreated>;

const REVIEW_STATUSES = ['visible', 'hidden', 'held'] as const;
/** The author's own view of a review: its status and, when hidden or held, why. */
export const OwnReview = z.object({
  ...PublicReview.shape,
  requester: RequesterKey,
  /** The requester's name as the author wrote it (the edit form shows it). */
  requesterName: z.string(),
  status: z.enum(REVIEW_STATUSES),
  statusReason: z.nullable(z.string()),
});
export type OwnReview = z.infer<typeof OwnReview>;

/** POST/PUT /v1/reviews → { review }; DELETE → { deleted: id }. */
export const ReviewWritten = z.object({ review: OwnReview });

/**
 * GET /v1/suspension-reports/mine → { reports }: the account's own suspension reports
 * (issue 11), newest first. POST answers { id, created } (id = the report's id; requester
 * and review flags answer the same); PUT /v1/suspension-reports/:id replaces one (200,
 * { id, created }); DELETE withdraws it
 * (200, { withdrawn: id }): it leaves every count, the moderators keep no note of it.
 */
export const OwnSuspensionReport = z.object({
  id: z.string(),
  tasks: z.array(z.object({ requester: RequesterKey, requesterName: z.string(), taskId: z.string(), taskTitle: z.string() })),
  requesters: z.array(z.object({ requester: RequesterKey, requesterName: z.string() })),
  /** The Monday of the suspension's week: the server keeps no finer date. */
  suspendedWeek: z.iso.date(),
  reinstated: z.boolean(),
  /** The author's own note (moderators only otherwise), so an edit keeps it; '' once purged after the incident closed. */
  note: z.string(),
  /** open: counted, waiting for moderators; confirmed / dismissed: a moderator decided (any requester of it). */
  status: z.enum(['open', 'confirmed', 'dismissed']),
  reportedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type OwnSuspensionReport = z.infer<typeof OwnSuspensionReport>;
export const OwnSuspensionReports = z.object({ reports: z.array(OwnSuspensionReport) });

/** Every 4xx/5xx body. `field` names the offending input ("ratings.pay", "since", "(body)"). */
export const ApiError = z.object({ error: z.string(), message: z.string(), field: z.optional(z.string()) });
export type ApiError = z.infer<typeof ApiError>;

