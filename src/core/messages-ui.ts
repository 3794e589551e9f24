/**
 * Extension pages (popup, options) → background. Only our own pages may send these:
 * they reach the worker's account and settings. See messages.ts for the pattern.
 */
import * as z from 'zod/mini';
import { BlockEntry, OutboxItem, RecentTask, Settings, Submission, SyncStatus } from './extension-state.js';
import { done, nothing } from './messages.js';
import { RequesterKey } from './requester-key.js';
import { Assessment, RequesterSummary } from './schemas.js';
import { OwnReview, PublicReview } from './sync-protocol.js';

export const Status = z.object({
  serverUrl: z.nullable(z.string()),
  hasAccount: z.boolean(),
  sync: SyncStatus,
  outbox: z.array(OutboxItem),
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
  'ui/requester-detail': {
    from: 'ui',
    request: z.strictObject({ key: RequesterKey }),
    response: z.object({
      summary: z.nullable(RequesterSummary),
      assessment: Assessment,
      reviews: z.nullable(z.array(PublicReview)),
      reviewsError: z.nullable(z.string()),
    }),
  },
  'ui/recent-tasks': { from: 'ui', request: nothing, response: z.object({ tasks: z.array(RecentTask) }) },
  'ui/recent-tasks-clear': { from: 'ui', request: nothing, response: done },
  'ui/diagnostics': { from: 'ui', request: nothing, response: z.object({ counts: z.record(z.string(), z.int()) }) },
  /** Forget everything local: replica, outbox, recent tasks, account, settings. */
  'ui/clear-local-data': { from: 'ui', request: nothing, response: done },
} as const;
