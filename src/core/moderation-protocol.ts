/**
 * The moderation API's wire formats (`/v1/moderation/...`), shared by the server and the
 * moderation page (src/moderation). Inputs are zod/mini schemas (the server validates
 * with them, the page checks before sending); responses are plain types.
 *
 * Moderators never see account ids. An action aimed at a person names something they
 * wrote (a review, a report, a flag); the server finds the account.
 */
import * as z from 'zod/mini';
import { RequesterKey } from './requester-key.js';
import { Rules } from './rules.js';
import { cleanTextChecks, REQUESTER_FLAG_REASONS, REVIEW_FLAG_REASONS, type RequesterSummary } from './schemas.js';
import type { PublicReview } from './sync-protocol.js';

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

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

export interface Me {
  pseudonym: string;
  role: ModerationRole;
}

export interface QueueCounts {
  flagged: number;
  held: number;
  suspensions: number;
  issues: number;
  /** Open incidents. */
  incidents: number;
}

export interface FlagCount {
  reason: string;
  count: number;
  notes: string[];
}

export interface FlaggedItem {
  review: PublicReview & { status: 'visible' | 'hidden' | 'held'; statusReason: string | null };
  requester: { key: string; name: string };
  /** The requester's current summary (what workers see), or null before its first one. */
  summary: RequesterSummary | null;
  distinctFlaggers: number;
  flags: FlagCount[];
  lastFlaggedAt: string;
}

export interface HeldItem extends FlaggedItem {
  heldReason: string;
}

export interface ReportView {
  id: string;
  suspendedOn: string;
  reinstated: boolean;
  tasks: { taskId: string; taskTitle: string }[];
  note: string;
  reportedAt: string;
  status: (typeof REPORT_STATUSES)[number];
  /** Whether the reporting account counts (older than the rules' days, not muted). */
  established: boolean;
}

export interface SuspensionGroup {
  requester: { key: string; name: string };
  summary: RequesterSummary | null;
  reports: number;
  open: number;
  latestAt: string;
  confirmed: boolean;
  /** The tasks most often named in this requester's reports. */
  topTasks: { taskId: string; taskTitle: string; reports: number }[];
}

/**
 * "N established accounts reported a suspension after task T of requester R within D days":
 * counted per (requester, task group) across every report, whatever requester it was filed
 * under, by distinct established accounts (the rules' established-account test).
 */
export interface CorrelationRow {
  requester: { key: string; name: string };
  taskId: string;
  taskTitle: string;
  /** Distinct established accounts. */
  accounts: number;
  /** Reports naming it (any account, established or not) within the window. */
  reports: number;
  firstReportAt: string;
  lastReportAt: string;
  /** The incident this task group is part of, if any. */
  incidentId: string | null;
}

export interface Correlation {
  /** D: the window in days. */
  days: number;
  rows: CorrelationRow[];
}

/**
 * An incident: reports crossed a published threshold (`trigger`). Opened exactly once per
 * (requester, task group) by the server, whatever the number of processes.
 */
export interface Incident {
  id: string;
  requester: { key: string; name: string };
  /** null for a requester-wide incident (report rate far above its own baseline). */
  taskId: string | null;
  taskTitle: string | null;
  trigger: 'shared_task' | 'report_rate';
  status: (typeof INCIDENT_STATUSES)[number];
  /** Distinct established accounts within the window (as last counted). */
  accounts: number;
  reports: number;
  windowDays: number;
  /** How browsers see its task group: not yet, "investigating" (automatic) or "confirmed" (a moderator). */
  replicated: 'investigating' | 'confirmed' | null;
  firstReportAt: string;
  lastReportAt: string;
  openedAt: string;
  decidedAt: string | null;
}

export interface IssueGroup {
  requester: { key: string; name: string };
  summary: RequesterSummary | null;
  counts: Partial<Record<(typeof REQUESTER_FLAG_REASONS)[number], number>>;
  open: number;
  latestAt: string;
  confirmed: boolean;
  flags: { id: string; reason: string; taskId: string | null; note: string; createdAt: string; status: string }[];
}

export interface AuditEntry {
  id: string;
  at: string;
  moderator: string;
  action: AuditAction;
  target: string;
  reason: string;
  detail: Record<string, unknown>;
}

export interface RulesVersionInfo {
  version: number;
  publishedAt: string;
}

export interface ActionResult {
  ok: true;
  /** Requesters whose summaries the action recomputed. */
  recomputed: string[];
  detail?: Record<string, unknown>;
}
