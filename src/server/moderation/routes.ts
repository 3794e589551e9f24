/**
 * The moderation API, `/v1/moderation/...`: queues, actions, audit log, rules. Every
 * endpoint needs `Authorization: Bearer <secret>` of an account holding a role (granted
 * only by `npm run moderator`); ban and rules publishing need the admin role.
 *
 * Cross-site forgery: there is no cookie or other ambient credential — the page keeps the
 * secret in its own sessionStorage and sends it as a header — so a forged request carries
 * nothing. On top of that, app.ts refuses any Origin but the server's own for these
 * routes, and writes must be `Content-Type: application/json` (not a "simple" request).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type * as z from 'zod/mini';
import { PER_PAGE_MAX } from '../../core/moderation-protocol.js';
import {
  MODERATION_ENDPOINTS,
  MODERATION_PREFIX,
  type BodyOf,
  type EndpointName,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
} from '../../core/moderation-endpoints.js';
import { Rules } from '../../core/rules.js';
import { describeIssues } from '../../core/validation.js';
import { HttpError, parseOr400, parseParams, parseQuery } from '../http/errors.js';
import type { Guards } from '../http/guards.js';
import type { Storage } from '../storage/storage.js';
import type { ActionOutcome, Moderator } from '../storage/moderation-queues.js';

export { MODERATION_PREFIX };

function pageOf(query: { page?: string | undefined; perPage?: string | undefined }) {
  const perPage = query.perPage === undefined ? undefined : Number(query.perPage);
  if (perPage !== undefined && perPage > PER_PAGE_MAX) throw new HttpError(400, 'invalid_request', `perPage: at most ${PER_PAGE_MAX}`, 'perPage');
  return { ...(query.page ? { page: Number(query.page) } : {}), ...(perPage ? { perPage } : {}) };
}

export interface ModerationRouteOptions {
  now: () => number;
  /** Called after a rules version is published: the summaries are then recomputed in batches. */
  onRulesPublished: () => void;
  /**
   * Check every response against its catalogue schema before sending it (a mismatch is a
   * 500 naming the field): on unless NODE_ENV is "production", so tests and development
   * catch a response that drifted from what the page expects.
   */
  checkResponses?: boolean;
}

/** One endpoint's handler: its validated params, query and body, and the moderator calling. */
type Handler<N extends EndpointName> = (input: { params: ParamsOf<N>; query: QueryOf<N>; body: BodyOf<N> }, mod: Moderator) => Promise<ResponseOf<N>>;
type Handlers = { [N in EndpointName]: Handler<N> };

export function moderationRoutes(app: FastifyInstance, storage: Storage, guards: Guards, options: ModerationRouteOptions): void {
  const { now } = options;
  const checkResponses = options.checkResponses ?? process.env.NODE_ENV !== 'production';
  const store = storage.moderation;

  async function moderator(request: FastifyRequest, adminOnly: boolean): Promise<Moderator> {
    const account = await guards.account(request);
    const role = await store.roleOf(account.id);
    // Non-moderators are told no more than an unknown secret would tell them.
    if (!role || account.bannedAt !== null) throw new HttpError(401, 'unauthorized', 'this account is not a moderator', 'Authorization');
    if (adminOnly && role.role !== 'admin') throw new HttpError(403, 'forbidden', 'only an admin may do this', 'Authorization');
    return { accountId: account.id, pseudonym: role.pseudonym, role: role.role };
  }

  const send = (reply: FastifyReply, body: unknown) => reply.code(200).header('cache-control', 'no-store').send(body);
  const result = (outcome: ActionOutcome) => ({ ok: true as const, recomputed: outcome.recomputed, ...(outcome.detail ? { detail: outcome.detail } : {}) });

  /**
   * Each endpoint of the catalogue, in the same order of checks as ever: the moderator first
   * (401 before any validation can reveal anything); for a POST, JSON only, then the body;
   * for a GET, the query; then the path params.
   */
  function register<N extends EndpointName>(name: N, handler: Handler<N>) {
    const endpoint = MODERATION_ENDPOINTS[name];
    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      const mod = await moderator(request, endpoint.adminOnly);
      let query: unknown = {};
      let body: unknown = undefined;
      if (endpoint.method === 'POST') {
        if (!/^application\/json\b/i.test(String(request.headers['content-type'] ?? ''))) {
          throw new HttpError(415, 'unsupported_media_type', 'send Content-Type: application/json', 'Content-Type');
        }
        body = parseOr400(endpoint.body as z.ZodMiniType, request.body);
      } else {
        query = parseQuery(endpoint.query, request.query);
      }
      const params = parseParams(endpoint.params, request.params ?? {});
      const response = await handler({ params, query, body } as Parameters<Handler<N>>[0], mod);
      if (checkResponses) {
        const checked = endpoint.response.safeParse(response);
        if (!checked.success) throw new Error(`moderation ${name} response: ${describeIssues(checked.error)}`);
      }
      return send(reply, response);
    };
    const url = `${MODERATION_PREFIX}${endpoint.path}`;
    if (endpoint.method === 'GET') app.get(url, handle);
    else app.post(url, handle);
  }

  const handlers: Handlers = {
    me: async (_input, mod) => ({ pseudonym: mod.pseudonym, role: mod.role }),
    counts: () => store.counts(),
    flagged: ({ query: q }) => store.flagged({ ...pageOf(q), ...(q.reason ? { reason: q.reason } : {}), ...(q.requester ? { requester: q.requester } : {}) }),
    held: ({ query: q }) => store.byStatus('held', { ...pageOf(q), ...(q.reason ? { reason: q.reason } : {}), ...(q.requester ? { requester: q.requester } : {}) }),
    hidden: ({ query: q }) => store.byStatus('hidden', { ...pageOf(q), ...(q.requester ? { requester: q.requester } : {}) }),
    suspensions: ({ query: q }) => store.suspensions({ ...pageOf(q), ...(q.status ? { status: q.status } : {}), ...(q.requester ? { requester: q.requester } : {}) }),
    issues: ({ query: q }) =>
      store.issues({
        ...pageOf(q),
        ...(q.status ? { status: q.status } : {}),
        ...(q.reason ? { reason: q.reason } : {}),
        ...(q.requester ? { requester: q.requester } : {}),
      }),
    incidents: ({ query: q }) => store.incidents({ ...pageOf(q), ...(q.status ? { status: q.status } : {}) }),
    // Default: the published incident window, and the number of accounts that opens an incident.
    correlation: ({ query: q }) =>
      store.correlation(Number(q.days ?? storage.rules().incidents.windowDays), Number(q.min ?? storage.rules().incidents.openAccounts), now()),
    audit: ({ query: q }) =>
      store.auditLog({
        ...pageOf(q),
        ...(q.action ? { action: q.action } : {}),
        ...(q.moderator ? { moderator: q.moderator } : {}),
        ...(q.target ? { target: q.target } : {}),
      }),
    rules: async () => ({ current: storage.rules(), versions: await store.rulesVersions() }),
    rulesVersion: async ({ params }) => {
      const rules = await storage.rulesVersion(Number(params.version));
      if (!rules) throw new HttpError(404, 'not_found', `no rules version ${params.version}`, 'version');
      return Rules.parse(rules);
    },
    suspensionReports: async ({ params }) => ({ reports: await store.suspensionReports(params.key) }),

    hideReview: async ({ params, body }, mod) => result(await store.hideReview(mod, params.id, body.reason, now())),
    restoreReview: async ({ params, body }, mod) => result(await store.restoreReview(mod, params.id, body.reason, now())),
    dismissReviewFlags: async ({ params, body }, mod) => result(await store.dismissReviewFlags(mod, params.id, body.reason, now())),
    releaseHeld: async ({ body }, mod) => result(await store.releaseHeld(mod, body.requester, body.reason, now())),
    decideSuspension: async ({ params, body }, mod) => result(await store.decideSuspension(mod, params.key, body.decision, body.reason, now())),
    decideIssues: async ({ params, body }, mod) => result(await store.decideIssues(mod, params.key, body.decision, body.reason, now())),
    decideIncident: async ({ params, body }, mod) => result(await store.decideIncident(mod, params.id, body.decision, body.reason, now())),
    muteAccount: async ({ body }, mod) => result(await store.muteAccount(mod, body.target, body.days, body.reason, now())),
    banAccount: async ({ body }, mod) => result(await store.banAccount(mod, body.target, body.reason, now())),
    mergeRequesters: async ({ body }, mod) => result(await store.mergeRequesters(mod, body.from, body.into, body.reason, now())),
    publishRules: async ({ body }, mod) => {
      const published = await store.publishRules(mod, body.rules, body.reason, now());
      options.onRulesPublished();
      return published;
    },
  };
  for (const name of Object.keys(MODERATION_ENDPOINTS) as EndpointName[]) register(name, handlers[name] as Handler<typeof name>);
}
