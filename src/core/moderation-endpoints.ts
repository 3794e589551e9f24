/**
 * Every endpoint of the moderation API (`/v1/moderation/...`), as extension messages are
 * catalogued in messages.ts: per endpoint its method, path, the schemas of its request
 * (path params, query, body) and of its response. The server registers its routes from
 * this table (src/server/moderation/routes.ts) and checks requests — and, in tests and
 * development, its own responses — against it; the moderation page's client
 * (src/moderation/api.ts) builds paths from it and checks every response it receives.
 */
import * as z from 'zod/mini';
import {
  ActionResult,
  AuditEntry,
  AuditQuery,
  BanBody,
  Correlation,
  CorrelationQuery,
  DecisionBody,
  FlaggedItem,
  FlaggedQuery,
  HeldItem,
  HeldQuery,
  Incident,
  IncidentsQuery,
  IssueGroup,
  IssuesQuery,
  Me,
  MergeBody,
  MuteBody,
  PublishRulesBody,
  QueueCounts,
  ReasonBody,
  ReleaseHeldBody,
  ReportView,
  RulesVersionInfo,
  SuspensionGroup,
  SuspensionsQuery,
  pageOf,
} from './moderation-protocol.js';
import { RequesterKey } from './requester-key.js';
import { Rules } from './rules.js';

export const MODERATION_PREFIX = '/v1/moderation';

const idOf = (what: string) => z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, `not ${what}`));
const NoParams = z.strictObject({});
const NoQuery = z.strictObject({});
const ReviewParams = z.strictObject({ id: idOf('a review id') });
const KeyParams = z.strictObject({ key: RequesterKey });
const IncidentParams = z.strictObject({ id: idOf('an incident id') });
const VersionParams = z.strictObject({ version: z.string().check(z.regex(/^[1-9][0-9]{0,5}$/, 'a rules version number')) });
const HiddenQuery = z.strictObject({ page: FlaggedQuery.shape.page, perPage: FlaggedQuery.shape.perPage, requester: FlaggedQuery.shape.requester });

export interface Endpoint {
  method: 'GET' | 'POST';
  /** Under MODERATION_PREFIX; `:name` segments are path params. */
  path: string;
  params: z.ZodMiniType;
  /** Query strings are strings; GET only (a POST's query string is not read). */
  query: z.ZodMiniType;
  /** JSON body; POST only. */
  body: z.ZodMiniType | null;
  response: z.ZodMiniType;
  /** Only an admin may call it (others: 403). */
  adminOnly: boolean;
}

const get = <P extends z.ZodMiniType, Q extends z.ZodMiniType, R extends z.ZodMiniType>(path: string, params: P, query: Q, response: R) =>
  ({ method: 'GET', path, params, query, body: null, response, adminOnly: false }) as const;
const post = <P extends z.ZodMiniType, B extends z.ZodMiniType, R extends z.ZodMiniType>(path: string, params: P, body: B, response: R, adminOnly = false) =>
  ({ method: 'POST', path, params, query: NoQuery, body, response, adminOnly }) as const;

export const MODERATION_ENDPOINTS = {
  me: get('/me', NoParams, NoQuery, Me),
  counts: get('/counts', NoParams, NoQuery, QueueCounts),
  flagged: get('/queues/flagged', NoParams, FlaggedQuery, pageOf(FlaggedItem)),
  held: get('/queues/held', NoParams, HeldQuery, pageOf(HeldItem)),
  hidden: get('/queues/hidden', NoParams, HiddenQuery, pageOf(HeldItem)),
  suspensions: get('/queues/suspensions', NoParams, SuspensionsQuery, pageOf(SuspensionGroup)),
  issues: get('/queues/issues', NoParams, IssuesQuery, pageOf(IssueGroup)),
  incidents: get('/incidents', NoParams, IncidentsQuery, pageOf(Incident)),
  correlation: get('/correlation', NoParams, CorrelationQuery, Correlation),
  audit: get('/audit', NoParams, AuditQuery, pageOf(AuditEntry)),
  rules: get('/rules', NoParams, NoQuery, z.strictObject({ current: Rules, versions: z.array(RulesVersionInfo) })),
  rulesVersion: get('/rules/:version', VersionParams, NoQuery, Rules),
  suspensionReports: get('/requesters/:key/reports', KeyParams, NoQuery, z.strictObject({ reports: z.array(ReportView) })),

  hideReview: post('/reviews/:id/hide', ReviewParams, ReasonBody, ActionResult),
  restoreReview: post('/reviews/:id/restore', ReviewParams, ReasonBody, ActionResult),
  dismissReviewFlags: post('/reviews/:id/dismiss-flags', ReviewParams, ReasonBody, ActionResult),
  releaseHeld: post('/held/release', NoParams, ReleaseHeldBody, ActionResult),
  decideSuspension: post('/requesters/:key/suspension', KeyParams, DecisionBody, ActionResult),
  decideIssues: post('/requesters/:key/issues', KeyParams, DecisionBody, ActionResult),
  decideIncident: post('/incidents/:id', IncidentParams, DecisionBody, ActionResult),
  muteAccount: post('/accounts/mute', NoParams, MuteBody, ActionResult),
  banAccount: post('/accounts/ban', NoParams, BanBody, ActionResult, true),
  mergeRequesters: post('/requesters/merge', NoParams, MergeBody, ActionResult),
  publishRules: post('/rules', NoParams, PublishRulesBody, z.strictObject({ version: z.int().check(z.positive()) }), true),
} satisfies Record<string, Endpoint>;

type ModerationEndpoints = typeof MODERATION_ENDPOINTS;
export type EndpointName = keyof ModerationEndpoints;
export type ParamsOf<N extends EndpointName> = z.output<ModerationEndpoints[N]['params']>;
export type QueryOf<N extends EndpointName> = z.output<ModerationEndpoints[N]['query']>;
type BodySchema<N extends EndpointName> = ModerationEndpoints[N]['body'];
export type BodyOf<N extends EndpointName> = BodySchema<N> extends z.ZodMiniType ? z.output<BodySchema<N>> : never;
/** What the client sends: the body as the schema takes it (before its defaults and refinements). */
export type BodyInputOf<N extends EndpointName> = BodySchema<N> extends z.ZodMiniType ? z.input<BodySchema<N>> : never;
export type ResponseOf<N extends EndpointName> = z.output<ModerationEndpoints[N]['response']>;

/** The endpoint's path (under the prefix) with its params filled in, each encoded as one segment. */
export function pathOf(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}
