/**
 * The one storage interface the API uses. `openStorage` gives a SQLite or a Postgres
 * implementation; the contract suite (storage.contract.test.ts) runs against both.
 */
import type { Rules } from '../../core/rules.js';
import type { Review, ReviewFlagInput, RequesterFlagInput, SuspensionReportInput } from '../../core/schemas.js';
import type { Checksum, OwnReview, OwnSuspensionReport, PublicReview } from '../../core/sync-protocol.js';
import type { Dialect } from './driver.js';
import type { ModerationStore } from './moderation.js';

/** A suspension report as sent (new shape or the legacy one-requester shape); the storage normalises it. */
export type ParsedSuspensionReport = SuspensionReportInput;
export type ParsedRequesterFlag = Omit<Required<RequesterFlagInput>, 'taskId'> & { taskId?: string | undefined };
export type ParsedReviewFlag = Required<ReviewFlagInput>;

export interface AccountRecord {
  id: string;
  createdAt: number;
  mutedUntil: number | null;
  bannedAt: number | null;
}

/** Who writes, under which idempotency key, and when (the server's clock, injectable in tests). */
export interface WriteContext {
  account: AccountRecord;
  idempotencyKey: string;
  /** A hash of method, route and body: the same key with a different request is refused. */
  requestHash: string;
  now: number;
}

/** A write's response, as first sent; a retry with the same key gets it again (`replayed`). */
export interface StoredResponse {
  status: number;
  body: unknown;
  replayed: boolean;
}

export interface SyncHead {
  epoch: string;
  seq: number;
  checksum: Checksum;
  rulesVersion: number;
}

export interface ChangesPage {
  head: SyncHead;
  /** Canonical row texts (already JSON), oldest change first. */
  rows: string[];
  /** Requester keys gone from the feed (merged into another key by a moderator). */
  removed: string[];
  /** The sequence the page ends at: `head.seq` unless `more`. */
  through: number;
  more: boolean;
}

export interface BucketRequester {
  key: string;
  name: string;
  totalVisible: number;
  reviews: PublicReview[];
}

export interface ExportChunk {
  summaries: string[];
  reviews: (PublicReview & { requester: string })[];
}

export interface Storage {
  readonly dialect: Dialect;
  /** Queues, actions, audit log and roles (moderation.ts, moderation-queues.ts). */
  readonly moderation: ModerationStore;
  /** The rules in force (the latest published version this process has loaded). */
  rules(): Rules;
  /** Loads the latest published rules if another process published newer ones; true when it did. */
  refreshRules(): Promise<boolean>;
  /** The latest published rules version in the database, and whether its recompute is unfinished. */
  rulesState(): Promise<{ version: number; recomputing: boolean }>;
  rulesVersion(version: number): Promise<Rules | null>;

  createAccount(secretHash: string, now: number): Promise<AccountRecord>;
  accountBySecretHash(secretHash: string): Promise<AccountRecord | null>;

  createReview(ctx: WriteContext, review: Review): Promise<StoredResponse>;
  updateReview(ctx: WriteContext, id: string, review: Review): Promise<StoredResponse>;
  deleteReview(ctx: WriteContext, id: string): Promise<StoredResponse>;
  /** 201 { id: report id, created } (200 when every requester it names was already reported by this account). */
  reportSuspension(ctx: WriteContext, report: ParsedSuspensionReport): Promise<StoredResponse>;
  /** 200 { id, created: false }; 404 for an id that is not this account's live report. */
  updateSuspensionReport(ctx: WriteContext, id: string, report: ParsedSuspensionReport): Promise<StoredResponse>;
  /** 200 { withdrawn: id }: the report leaves every count, its note and tasks are deleted. */
  withdrawSuspensionReport(ctx: WriteContext, id: string): Promise<StoredResponse>;
  ownSuspensionReports(accountId: string): Promise<OwnSuspensionReport[]>;
  flagRequester(ctx: WriteContext, flag: ParsedRequesterFlag): Promise<StoredResponse>;
  flagReview(ctx: WriteContext, flag: ParsedReviewFlag): Promise<StoredResponse>;
  ownReviews(accountId: string): Promise<OwnReview[]>;

  syncHead(): Promise<SyncHead>;
  changesSince(seq: number, limit: number): Promise<ChangesPage>;
  snapshot(): Promise<{ head: SyncHead; rows: string[] }>;
  /** Requesters whose bucket starts with `prefix`, each with its latest visible reviews. */
  bucket(prefix: string, perRequester: number): Promise<BucketRequester[]>;
  /** The public export, in chunks: summaries first, then visible reviews. No account ids. */
  exportChunks(): AsyncIterable<ExportChunk>;

  /**
   * Recompute the requesters whose rows crossed a time window (90-day, suspension window)
   * since the last run, and delete moderator notes of reports whose incident closed more
   * than the rules' noteRetentionDays ago. Returns how many requesters were recomputed.
   */
  ageWindows(now: number): Promise<number>;
  /** Forget idempotency records older than `before` (retries come within minutes, not weeks). */
  pruneIdempotency(before: number): Promise<number>;
  /**
   * Claims a periodic job's run for one period (`slot`) across every process on this
   * database; false when the period's run was already claimed. `runner` is the process's random id.
   */
  claimJobRun(job: string, slot: number, runner: string, now: number): Promise<boolean>;
  finishJobRun(job: string, slot: number, now: number): Promise<void>;
  /** A run that failed gives its period back (its unfinished claim is removed), so the next look tries again. */
  releaseJobRun(job: string, slot: number, runner: string): Promise<void>;
  /** Forget job runs that started before `before` (their claims are long settled). */
  pruneJobRuns(before: number): Promise<number>;
  close(): Promise<void>;
}
