/**
 * Extension pages (popup, options) → background. Only our own pages may send these:
 * they reach the worker's account and settings. See messages.ts for the pattern.
 */
import * as z from 'zod/mini';
import { BlockEntry, OutboxItem, Settings, Submission, SyncStatus } from './extension-state.js';
import { done, nothing } from './messages.js';
import { RequesterKey } from './requester-key.js';
import { Assessment, RequesterSummary } from './schemas.js';
import { OwnReview, OwnSuspensionReport, PublicReview } from './sync-protocol.js';
import { SuspectMatch, WorkLogEntry } from './work-log.js';
import { TaskId } from './fields.js';
import { Rules } from './rules.js';

export const Status = z.object({
  serverUrl: z.nullable(z.string()),
  hasAccount: z.boolean(),
  sync: SyncStatus,
  outbox: z.array(OutboxItem),
  /** Outbox items this version can't read (never sent): shown as stored, to copy and discard. */
  outboxUnreadable: z.array(z.object({ id: z.string(), raw: z.string() })),
});
export type Status = z.infer<typeof Status>;

export const UI_MESSAGES = {
  'ui/status': { from: 'ui', request: nothing, response: Status },
  /** Sync now and retry the outbox now (the worker pressed "Sync now"). */
  'ui/sync-now': { from: 'ui', request: nothing, response: Status },
  'ui/settings-get': { from: 'ui', request: nothing, response: Settings },
  /** Change some settings; answers with all of them. */
  'ui/settings-set': { from: 'ui', request: z.partial(Settings), response: Settings },
  'ui/blocklist-import': {
    from: 'ui',
    request: z.strictObject({ entries: z.array(BlockEntry).check(z.maxLength(10_000)) }),
    response: z.object({ added: z.int(), total: z.int() }),
  },
  'ui/account-create': { from: 'ui', request: nothing, response: z.object({ recoveryCode: z.string() }) },
  /** Use an account made in another browser, from its recovery code. */
  'ui/account-restore': {
    from: 'ui',
    request: z.strictObject({ recoveryCode: z.string().check(z.minLength(20), z.maxLength(200)) }),
    response: done,
  },
  'ui/account-get': { from: 'ui', request: nothing, response: z.object({ recoveryCode: z.nullable(z.string()) }) },
  /**
   * Queue a submission: written to the outbox first, then sent. `replaces` is the id of
   * an outbox item the worker edited after the server refused it.
   */
  'ui/submit': {
    from: 'ui',
    request: z.strictObject({ submission: Submission, replaces: z.optional(z.string()) }),
    response: z.object({ item: OutboxItem, delivered: z.boolean() }),
  },
  'ui/outbox-discard': { from: 'ui', request: z.strictObject({ id: z.string() }), response: done },
  'ui/own-reviews': {
    from: 'ui',
    request: nothing,
    response: z.object({ reviews: z.array(OwnReview), error: z.nullable(z.string()) }),
  },
  /** The names the local replica knows for these requesters (issue 12: the blocklist names them instead of "—"). */
  'ui/requester-names': {
    from: 'ui',
    request: z.strictObject({ keys: z.array(RequesterKey).check(z.maxLength(5000)) }),
    response: z.object({ names: z.record(z.string(), z.string()) }),
  },
  'ui/requester-detail': {
    from: 'ui',
    request: z.strictObject({ key: RequesterKey }),
    response: z.object({
      summary: z.nullable(RequesterSummary),
      assessment: Assessment,
      reviews: z.nullable(z.array(PublicReview)),
      reviewsError: z.nullable(z.string()),
      /** The worker's own reviews among them; `pending` until a sync confirms them (issue 12). */
      ownReviews: z.optional(z.array(z.object({ id: z.string(), pending: z.boolean() }))),
    }),
  },
  /** The browser-only work log (options page, the suspension form): newest first, filtered. */
  'ui/work-log-query': {
    from: 'ui',
    request: z.strictObject({
      /** Words matched against requester name or key, task title or id (case-insensitive). */
      search: z._default(z.string().check(z.maxLength(200)), ''),
      /** Only entries whose latest activity is within this many days. */
      sinceDays: z.optional(z.int().check(z.minimum(1), z.maximum(3650))),
      requester: z.optional(RequesterKey),
      offset: z._default(z.int().check(z.minimum(0)), 0),
      limit: z._default(z.int().check(z.minimum(1), z.maximum(2000)), 100),
    }),
    response: z.object({ entries: z.array(WorkLogEntry), total: z.int() }),
  },
  /** The one entry a review form prefills from (time worked, outcome, days to decision). */
  'ui/work-log-task': {
    from: 'ui',
    request: z.strictObject({ requester: RequesterKey, taskId: TaskId }),
    response: z.object({ entry: z.nullable(WorkLogEntry) }),
  },
  /** The whole log as a file the worker saves (never sent anywhere). */
  'ui/work-log-export': {
    from: 'ui',
    request: z.strictObject({ format: z.enum(['csv', 'json']) }),
    response: z.object({ filename: z.string(), mime: z.string(), text: z.string() }),
  },
  'ui/work-log-clear': { from: 'ui', request: nothing, response: done },
  /** Decided tasks (approved or rejected) not yet reviewed from this browser, newest first. */
  'ui/reviewable-tasks': { from: 'ui', request: nothing, response: z.object({ entries: z.array(WorkLogEntry) }) },
  /** Tasks of this worker's log that a replicated incident names (matched here, never sent). */
  'ui/suspect-matches': { from: 'ui', request: nothing, response: z.object({ matches: z.array(SuspectMatch) }) },
  'ui/suspect-match-dismiss': { from: 'ui', request: z.strictObject({ id: z.string().check(z.maxLength(300)) }), response: done },
  /** The worker's own suspension reports: delivered ones from the server, with their state. */
  'ui/my-reports': {
    from: 'ui',
    request: nothing,
    response: z.object({ reports: z.array(OwnSuspensionReport), error: z.nullable(z.string()) }),
  },
  'ui/diagnostics': { from: 'ui', request: nothing, response: z.object({ counts: z.record(z.string(), z.int()) }) },
  /** The rules in force, for the "How Lantern decides" page; `fromServer` false: version 1's defaults (never synced). */
  'ui/rules': { from: 'ui', request: nothing, response: z.object({ rules: Rules, fromServer: z.boolean() }) },
  /** Forget everything local: replica, outbox, recent tasks, account, settings. */
  'ui/clear-local-data': { from: 'ui', request: nothing, response: done },
} as const;
