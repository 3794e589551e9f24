/**
 * The moderation API's wire formats (`/v1/moderation/...`), shared by the server and the
 * moderation page (src/moderation). Requests and responses are zod/mini schemas; the
 * endpoint catalogue (moderation-endpoints.ts) says which endpoint takes and answers which,
 * and both ends check them (the server its requests, and its responses in tests and
 * development; the page the responses it receives).
 *
 * Moderators never see account ids. An action aimed at a person names something they
 * wrote (a review, a report, a flag); the server finds the account.
 */
import * as z from 'zod/mini';
import { RequesterKey } from './requester-key.js';
import { Rules } from './rules.js';
import { cleanTextChecks, REQUESTER_FLAG_REASONS, REVIEW_FLAG_REASONS } from './schemas.js';
import { PublicReview } from './public-review.js';
import { RequesterSummary } from './summary.js';

export const MODERATION_ROLES = ['moderator', 'admin'] as const;
export type ModerationRole = (typeof MODERATION_ROLES)[number];

export const PER_PAGE_DEFAULT = 50;
export const PER_PAGE_MAX = 100;

const Id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'not an id'));
/** Every action carries the moderator's reason: shown to authors (hide), kept in the audit log. */
export const ActionReason = z.string().check(...cleanTextChecks(500, true), z.minLength(3, 'a reason is required (at least 3 characters)'));

const pageNumber = z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,6}$/, 'a page number from 1')));
const perPage = z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,2}$/, `a whole number from 1 to ${PER_PAGE_MAX}`)));
const optionalKey = z.optional(RequesterKey);

// ---------------------------------------------------------------- queries (query strings: strings)

export const FlaggedQuery = z.strictObject({ page: pageNumber, perPage, reason: z.optional(z.enum(REVIEW_FLAG_REASONS)), requester: optionalKey });
export const HeldQuery = z.strictObject({ page: pageNumber, perPage, reason: z.optional(z.enum(['flags', 'brigade'])), requester: optionalKey });
const REPORT_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
export const SuspensionsQuery = z.strictObject({ page: pageNumber, perPage, status: z.optional(z.enum(REPORT_STATUSES)), requester: optionalKey });
export const IssuesQuery = z.strictObject({ page: pageNumber, perPage, status: z.optional(z.enum(REPORT_STATUSES)), reason: z.optional(z.enum(REQUESTER_FLAG_REASONS)), requester: optionalKey });
/** Correlation within a window of `days` (default: the rules' incident window), rows with ≥ `min` accounts. */
export const CorrelationQuery = z.strictObject({
  days: z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,2}$/, 'a whole number of days from 1 to 999'))),
  min: z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,3}$/, 'a whole number from 1'))),
});
const INCIDENT_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
export const IncidentsQuery = z.strictObject({ page: pageNumber, perPage, status: z.optional(z.enum(INCIDENT_STATUSES)) });
export const AUDIT_ACTIONS = [
  'hide_review',
  'restore_review',
  'dismiss_review_flags',
  'release_held',
  'confirm_suspension',
  'dismiss_suspension',
  /** By the server itself (moderator "lantern"): a threshold was crossed. */
  'open_incident',
  /** By the server: enough accounts that browsers are warned ("under investigation"). */
  'investigate_incident',
  'confirm_incident',
  'dismiss_incident',
  /** By the server: moderator notes of an incident's reports deleted after it closed. */
  'purge_report_notes',
  'confirm_issue',
  'dismiss_issue',
  'mute_account',
  'ban_account',
  'merge_requesters',
  'publish_rules',
  'grant_role',
  'revoke_role',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AuditQuery = z.strictObject({
  page: pageNumber,
  perPage,
  action: z.optional(z.enum(AUDIT_ACTIONS)),
  // Text searched for in the database: clean like stored text (a NUL would be a PostgreSQL error).
  moderator: z.optional(z.string().check(...cleanTextChecks(40, false))),
  target: z.optional(z.string().check(...cleanTextChecks(170, false))),
});

// ---------------------------------------------------------------- action bodies

export const ReasonBody = z.strictObject({ reason: ActionReason });
export const ReleaseHeldBody = z.strictObject({ requester: RequesterKey, reason: ActionReason });
export const DecisionBody = z.strictObject({ decision: z.enum(['confirm', 'dismiss']), reason: ActionReason });
/** What a person wrote, naming them without naming their account. */
export const AccountTarget = z.strictObject({
  kind: z.enum(['review', 'suspension_report', 'requester_flag', 'review_flag']),
  id: Id,
});
export type AccountTarget = z.infer<typeof AccountTarget>;
export const MuteBody = z.strictObject({ target: AccountTarget, days: z.int().check(z.minimum(1), z.maximum(3650)), reason: ActionReason });
export const BanBody = z.strictObject({ target: AccountTarget, reason: ActionReason });
export const MergeBody = z
  .strictObject({ from: RequesterKey, into: RequesterKey, reason: ActionReason })
  .check(z.refine((b) => b.from !== b.into, { message: 'a requester cannot be merged into itself', path: ['into'] }));
/** The rules to publish: the version is given by the server (the next number). */
export const PublishRulesBody = z.strictObject({ rules: z.omit(Rules, { version: true }), reason: ActionReason });

// ---------------------------------------------------------------- responses
// Objects are strict: a field the server adds by mistake (an account id, say) fails the
// server's own response check in tests instead of reaching a moderator's browser.

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}
const count = z.int().check(z.nonnegative());
const isoTime = z.string().check(z.minLength(1));
/** A page of a queue whose items are `item`. */
export const pageOf = <T extends z.ZodMiniType>(item: T) => z.strictObject({ items: z.array(item), total: count, page: z.int().check(z.positive()), perPage: z.int().check(z.positive()) });

export const Me = z.strictObject({ pseudonym: z.string(), role: z.enum(MODERATION_ROLES) });
export type Me = z.infer<typeof Me>;

export const QueueCounts = z.strictObject({
  flagged: count,
  held: count,
  suspensions: count,
  issues: count,
  /** Open incidents. */
  incidents: count,
});
export type QueueCounts = z.infer<typeof QueueCounts>;

export const FlagCount = z.strictObject({ reason: z.string(), count, notes: z.array(z.string()) });
export type FlagCount = z.infer<typeof FlagCount>;

const RequesterRef = z.strictObject({ key: z.string(), name: z.string() });

const flaggedFields = {
  review: z.strictObject({ ...PublicReview.shape, status: z.enum(['visible', 'hidden', 'held']), statusReason: z.nullable(z.string()) }),
  requester: RequesterRef,
  /** The requester's current summary (what workers see), or null before its first one. */
  summary: z.nullable(RequesterSummary),
  distinctFlaggers: count,
  flags: z.array(FlagCount),
  /** Empty when the review has no unresolved flag. */
  lastFlaggedAt: z.string(),
};
export const FlaggedItem = z.strictObject(flaggedFields);
export type FlaggedItem = z.infer<typeof FlaggedItem>;

export const HeldItem = z.strictObject({ ...flaggedFields, heldReason: z.string() });
export type HeldItem = z.infer<typeof HeldItem>;

export const ReportView = z.strictObject({
  id: z.string(),
  suspendedOn: z.string(),
  reinstated: z.boolean(),
  tasks: z.array(z.strictObject({ taskId: z.string(), taskTitle: z.string() })),
  note: z.string(),
  reportedAt: isoTime,
  status: z.enum(REPORT_STATUSES),
  /** Whether the reporting account counts (older than the rules' days, not muted). */
  established: z.boolean(),
});
export type ReportView = z.infer<typeof ReportView>;

export const SuspensionGroup = z.strictObject({
  requester: RequesterRef,
  summary: z.nullable(RequesterSummary),
  reports: count,
  open: count,
  latestAt: isoTime,
  confirmed: z.boolean(),
  /** The tasks most often named in this requester's reports. */
  topTasks: z.array(z.strictObject({ taskId: z.string(), taskTitle: z.string(), reports: count })),
});
export type SuspensionGroup = z.infer<typeof SuspensionGroup>;

/**
 * "N established accounts reported a suspension after task T of requester R within D days":
 * counted per (requester, task group) across every report, whatever requester it was filed
 * under, by distinct established accounts (the rules' established-account test).
 */
export const CorrelationRow = z.strictObject({
  requester: RequesterRef,
  taskId: z.string(),
  taskTitle: z.string(),
  /** Distinct established accounts. */
  accounts: count,
  /** Reports naming it (any account, established or not) within the window. */
  reports: count,
  firstReportAt: isoTime,
  lastReportAt: isoTime,
  /** The incident this task group is part of, if any. */
  incidentId: z.nullable(z.string()),
});
export type CorrelationRow = z.infer<typeof CorrelationRow>;

export const Correlation = z.strictObject({
  /** D: the window in days. */
  days: z.int().check(z.positive()),
  rows: z.array(CorrelationRow),
});
export type Correlation = z.infer<typeof Correlation>;

/**
 * An incident: reports crossed a published threshold (`trigger`). Opened exactly once per
 * (requester, task group) by the server, whatever the number of processes.
 */
export const Incident = z.strictObject({
  id: z.string(),
  requester: RequesterRef,
  /** null for a requester-wide incident (report rate far above its own baseline). */
  taskId: z.nullable(z.string()),
  taskTitle: z.nullable(z.string()),
  trigger: z.enum(['shared_task', 'report_rate']),
  status: z.enum(INCIDENT_STATUSES),
  /** Distinct established accounts within the window (as last counted). */
  accounts: count,
  reports: count,
  windowDays: z.int().check(z.positive()),
  /** How browsers see its task group: not yet, "investigating" (automatic) or "confirmed" (a moderator). */
  replicated: z.nullable(z.enum(['investigating', 'confirmed'])),
  firstReportAt: isoTime,
  lastReportAt: isoTime,
  openedAt: isoTime,
  decidedAt: z.nullable(isoTime),
});
export type Incident = z.infer<typeof Incident>;

export const IssueGroup = z.strictObject({
  requester: RequesterRef,
  summary: z.nullable(RequesterSummary),
  counts: z.partialRecord(z.enum(REQUESTER_FLAG_REASONS), count),
  open: count,
  latestAt: isoTime,
  confirmed: z.boolean(),
  flags: z.array(
    z.strictObject({ id: z.string(), reason: z.string(), taskId: z.nullable(z.string()), note: z.string(), createdAt: isoTime, status: z.string() }),
  ),
});
export type IssueGroup = z.infer<typeof IssueGroup>;

export const AuditEntry = z.strictObject({
  id: z.string(),
  at: isoTime,
  moderator: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  target: z.string(),
  reason: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const RulesVersionInfo = z.strictObject({ version: z.int().check(z.positive()), publishedAt: isoTime });
export type RulesVersionInfo = z.infer<typeof RulesVersionInfo>;

export const ActionResult = z.strictObject({
  ok: z.literal(true),
  /** Requesters whose summaries the action recomputed. */
  recomputed: z.array(z.string()),
  detail: z.optional(z.record(z.string(), z.unknown())),
});
export type ActionResult = z.infer<typeof ActionResult>;
