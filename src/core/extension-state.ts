/**
 * What the extension keeps about the worker, locally: settings, the account, the outbox
 * of submissions waiting to reach the server, the sync status, and the browser-only list
 * of recently done tasks. Shared by the background (which owns it) and the pages.
 *
 * These are the shapes of stored state version STORED_STATE_VERSION. A release that
 * changes one raises that version and adds a step in background/stored-state/migrations.ts;
 * reading is field by field (background/stored-state/records.ts), never all or nothing.
 */
import * as z from 'zod/mini';
import { perPlatform } from './platforms.js';
import { RequesterKey } from './requester-key.js';
import { int, Thresholds } from './rules.js';
import { RequesterFlagInput, ReviewFields, ReviewFlagInput, ReviewInput, SuspensionReportInput } from './schemas.js';
import { AlertSettings, WorkLogSettings } from './work-log.js';

/** A blocked requester (by key) — tasks from it are hidden or dimmed. */
export const BlockEntry = z.strictObject({
  key: RequesterKey,
  name: z.string().check(z.maxLength(200)),
  addedOn: z.iso.date(),
});
export type BlockEntry = z.infer<typeof BlockEntry>;

export const ServerUrl = z.string().check(
  z.maxLength(300),
  z.refine((url) => {
    try {
      const u = new URL(url);
      // Plain http only on this machine: anything else would expose the account secret.
      return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
    } catch {
      return false;
    }
  }, 'must be an https:// address (http:// only for 127.0.0.1 or localhost)'),
);

/**
 * The version of everything the extension stores (extension storage and IndexedDB records).
 * 1: release 0.1.0, which stored no version. 2: the version is stored (`storedState`).
 */
export const STORED_STATE_VERSION = 2;

/** The pseudonymous account (background/account.ts): the server-made secret, nothing else. */
export const AccountRecord = z.strictObject({ secret: z.string().check(z.minLength(1), z.maxLength(512)) });
export type AccountRecord = z.infer<typeof AccountRecord>;

export const Settings = z.strictObject({
  serverUrl: z.nullable(ServerUrl),
  thresholds: Thresholds,
  blocklist: z.array(BlockEntry).check(z.maxLength(10_000)),
  /** How tasks from blocked or below-threshold requesters are shown. */
  filterMode: z.enum(['hide', 'dim', 'off']),
  /** Which platforms Lantern reads (each can be switched off): one flag per platform. */
  platforms: z.strictObject(perPlatform(() => z.boolean())),
  /** The browser-only work log (issue 11): on by default, 120 days. */
  workLog: WorkLogSettings,
  /** Suspect-task alerts: browser notifications on or off. */
  alerts: AlertSettings,
});
export type Settings = z.infer<typeof Settings>;

const otherSubmissions = [
  z.strictObject({ kind: z.literal('review-delete'), reviewId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  z.strictObject({ kind: z.literal('suspension'), payload: SuspensionReportInput }),
  /** Replaces a delivered report (reinstated later, tasks added or removed). */
  z.strictObject({ kind: z.literal('suspension-edit'), reportId: z.string().check(z.minLength(1), z.maxLength(64)), payload: SuspensionReportInput }),
  z.strictObject({ kind: z.literal('suspension-withdraw'), reportId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  z.strictObject({ kind: z.literal('requester-flag'), payload: RequesterFlagInput }),
  z.strictObject({ kind: z.literal('review-flag'), payload: ReviewFlagInput }),
] as const;
const reviewSubmissions = <R extends typeof ReviewInput | typeof ReviewFields>(review: R) =>
  [
    z.strictObject({ kind: z.literal('review'), payload: review }),
    z.strictObject({ kind: z.literal('review-edit'), reviewId: z.string().check(z.minLength(1), z.maxLength(64)), payload: review }),
  ] as const;

/** Every kind of submission, with the payload the server takes for it. */
export const Submission = z.discriminatedUnion('kind', [...reviewSubmissions(ReviewInput), ...otherSubmissions]);
/**
 * What the outbox may hold: a review queued by a release before reviews had to say
 * something still reads (and shows, and can be edited); sending it gets it refused in words.
 */
export const StoredSubmission = z.discriminatedUnion('kind', [...reviewSubmissions(ReviewFields), ...otherSubmissions]);
export type Submission = z.infer<typeof Submission>;
export type SubmissionInput = z.input<typeof Submission>;

/**
 * A submission in the outbox. Written to IndexedDB before any attempt to send; its id is
 * the idempotency key, reused on every retry, so the server keeps it once.
 */
export const OutboxItem = z.object({
  id: z.string(),
  submission: StoredSubmission,
  createdAt: int(0),
  attempts: int(0),
  /** queued: will be retried; rejected: the server refused it, waiting for the worker to edit. */
  state: z.enum(['queued', 'rejected']),
  lastError: z.nullable(z.string()),
  /** The field the server named, for the form to highlight. */
  errorField: z.nullable(z.string()),
  nextAttemptAt: int(0),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

export const SyncStatus = z.object({
  state: z.enum(['never', 'idle', 'syncing', 'error']),
  version: z.nullable(z.string()),
  rows: int(0),
  lastSyncAt: z.nullable(int(0)),
  nextSyncAt: z.nullable(int(0)),
  lastError: z.nullable(z.string()),
  /** While the first snapshot (or a re-snapshot) is being written. */
  snapshotProgress: z.nullable(z.object({ done: int(0), total: int(0) })),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export { RECENT_TASKS_CAP, RecentTask } from './recent-task.js';
