/**
 * Every message between extension parts, named by direction (as Dark Reader does):
 * `content/…` is sent by content scripts, `ui/…` by the popup and options pages.
 * The background accepts a `content/…` message only from a tab's content script and a
 * `ui/…` message only from an extension page, so a web page that fools a content
 * script still cannot reach the worker's account or settings.
 * Requests and responses are both validated: a bad message is a rejected promise
 * naming the field, never a half-done action.
 */
import * as z from 'zod/mini';
import { PLATFORM_IDS } from './platforms.js';
import { RequesterKey } from './requester-key.js';
import { RecentTask } from './recent-task.js';
import { Rules, Thresholds } from './rules.js';
import { Assessment } from './assessment.js';
import { Money, TaskId } from './fields.js';
import type { RequesterSummary } from './summary.js';
import { EncodedSummaryText } from './summary-text.js';
import { PublicReview } from './public-review.js';
import { WorkObservation } from './work-log.js';

/**
 * One requester in a lookup answer: its replicated row as canonical text (checked by the
 * row grammar in well under a microsecond, where the tuple schema took ~20 µs: a page of
 * 1,000 requesters answered in one small message) or null when the replica has none.
 * The content script decodes it under the rules sent along and assesses it against the
 * worker's thresholds itself — the same `assess` the background runs — so the answer
 * carries no assessments to copy and check.
 */
const LookupRow = z.object({
  key: RequesterKey,
  row: z.nullable(EncodedSummaryText),
  /** On the worker's blocklist. */
  blocked: z.boolean(),
});

/** A lookup row as content features use it: decoded. */
export interface LookupResult {
  key: RequesterKey;
  summary: RequesterSummary | null;
  assessment: Assessment;
  blocked: boolean;
}

/** What a task page shows, as its content script read it: for prefilling the popup's forms. */
export const PageInfo = z.object({
  platform: z.enum(PLATFORM_IDS),
  page: z.string(),
  requesters: z.array(z.object({ key: RequesterKey, name: z.string() })),
  /** How many requesters the badge index this tab holds knows; null without one (badges then wait for lookups). */
  badgeIndexSize: z.nullable(z.int().check(z.nonnegative())),
  /** How many of the index's shards the tab holds (it reads them as its page needs them). */
  badgeIndexShards: z.nullable(z.int().check(z.nonnegative())),
  /** Milliseconds since the tab's start read of the index came back (a page open 5 s reads the rest when it needs more). */
  badgeIndexOpenMs: z.int().check(z.nonnegative()),
  task: z.nullable(
    z.object({
      requester: RequesterKey,
      requesterName: z.string(),
      taskId: TaskId,
      taskTitle: z.string(),
      reward: z.nullable(Money),
      acceptedAt: z.nullable(z.int()),
    }),
  ),
});
export type PageInfo = z.infer<typeof PageInfo>;

export const nothing = z.strictObject({});
export const done = z.object({ done: z.literal(true) });

export const DIAGNOSTIC_PROBLEMS = ['props_unreadable', 'no_rows', 'row_without_requester', 'adapter_threw'] as const;

/** The detail card's code, added to a page's content script on first use (see content/load-card). */
export const DETAIL_CARD_SCRIPT = 'detail-card.js';

/** At most this many requesters per `content/lookup` (a page asking for more asks again). */
export const LOOKUP_MAX_KEYS = 2000;

/** Content scripts send their requests over a long-lived port of this name (see ui/extension-api.ts). */
export const CONTENT_PORT = 'lantern-content';

/** Content script → background. */
export const CONTENT_MESSAGES = {
  /** One per page scan: every requester key on the page, answered from the local replica. */
  'content/lookup': {
    from: 'content',
    request: z.strictObject({
      platform: z.enum(PLATFORM_IDS),
      keys: z.array(RequesterKey).check(z.minLength(1), z.maxLength(LOOKUP_MAX_KEYS)),
    }),
    /**
     * `enabled` is false when the worker switched this platform off: then show nothing.
     * `filterMode` says what to do with tasks of blocked or below-threshold requesters.
     */
    response: z.object({
      enabled: z.boolean(),
      filterMode: z.enum(['hide', 'dim', 'off']),
      rules: Rules,
      thresholds: Thresholds,
      results: z.array(LookupRow),
    }),
  },
  /** An adapter met a page it could not read; counted for the options page. */
  'content/diagnostic': {
    from: 'content',
    request: z.strictObject({
      platform: z.enum(PLATFORM_IDS),
      page: z.string().check(z.maxLength(40)),
      problem: z.enum(DIAGNOSTIC_PROBLEMS),
    }),
    response: z.object({ counted: z.int() }),
  },
  /** Recent reviews for a detail card: the background fetches the key's hash-prefix bucket. */
  'content/requester-reviews': {
    from: 'content',
    request: z.strictObject({ key: RequesterKey }),
    response: z.object({ reviews: z.nullable(z.array(PublicReview)), error: z.nullable(z.string()) }),
  },
  /** The worker pressed "Block" on a detail card. */
  'content/block': {
    from: 'content',
    request: z.strictObject({ key: RequesterKey, name: z.string().check(z.maxLength(200)) }),
    response: z.object({ blocked: z.literal(true) }),
  },
  /** The worker pressed "Unblock" on a detail card (issue 12). */
  'content/unblock': {
    from: 'content',
    request: z.strictObject({ key: RequesterKey }),
    response: z.object({ blocked: z.literal(false) }),
  },
  /** "Write a review" / "Report a suspension" / "Flag" on a detail card: opens Lantern's form for this tab. */
  'content/open-form': {
    from: 'content',
    request: z.strictObject({
      /** 'review-flag' (issue 12): flag one review read on the card, with the popup's own flag form. */
      form: z.enum(['review', 'suspension', 'flag', 'review-flag']),
      key: RequesterKey,
      /** Issue 12, all optional (older senders send none): what the row clicked shows, to prefill the form. */
      name: z.optional(z.string().check(z.maxLength(200))),
      task: z.optional(z.strictObject({ taskId: TaskId, taskTitle: z.string().check(z.maxLength(300)), reward: z.nullable(Money) })),
      review: z.optional(z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64)), taskTitle: z.string().check(z.maxLength(300)), createdOn: z.string().check(z.maxLength(10)) })),
    }),
    response: done,
  },
  /** "How Lantern decides" on a detail card: opens the rules page (extension pages can't be linked from a web page). */
  'content/open-rules': { from: 'content', request: nothing, response: done },
  /**
   * The first time a detail card opens on a page: the background adds the card's code
   * (detail-card.js) to this content script's world. Pages that never open one never
   * load it, so the content script itself stays small.
   */
  'content/load-card': {
    from: 'content',
    request: nothing,
    response: done,
  },
  /** A task page the worker opened or accepted, for the browser-only recent-task list. */
  'content/task-seen': {
    from: 'content',
    request: z.strictObject({ task: RecentTask }),
    /** The task as remembered, with the earliest time this browser saw it accepted. */
    response: z.object({ task: RecentTask }),
  },
  /**
   * What a page showed of the worker's own work (task page, queue, status details,
   * Prolific study), for the browser-only work log. One message per scan that found
   * something new; the background writes it, off the page's main thread.
   */
  'content/work-seen': {
    from: 'content',
    request: z.strictObject({ observations: z.array(WorkObservation).check(z.minLength(1), z.maxLength(1000)) }),
    /** How many entries were added or changed (0 when the worker turned the log off). */
    response: z.object({ recorded: z.int().check(z.nonnegative()) }),
  },

} as const;

/** Popup → the active tab's content script. */
export const TAB_MESSAGES = {
  'tab/page-info': { from: 'ui', request: nothing, response: PageInfo },
} as const;

/** A catalogue of messages: each type names its sender, request and response schemas. */
export type Catalogue = Record<string, { from: 'content' | 'ui'; request: z.ZodMiniType; response: z.ZodMiniType }>;

export const MessageEnvelope = z.object({ type: z.string().check(z.maxLength(60)), payload: z.unknown() });

/** What the background sends back: errors travel as data, since a thrown error loses its text. */
export const Reply = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type Reply = z.infer<typeof Reply>;
