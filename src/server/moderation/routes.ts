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
import * as z from 'zod/mini';
import {
  AuditQuery,
  BanBody,
  CorrelationQuery,
  DecisionBody,
  FlaggedQuery,
  HeldQuery,
  IncidentsQuery,
  IssuesQuery,
  MergeBody,
  MuteBody,
  PER_PAGE_MAX,
  PublishRulesBody,
  ReasonBody,
  ReleaseHeldBody,
  SuspensionsQuery,
  type ActionResult,
  type Me,
} from '../../core/moderation-protocol.js';
import { RequesterKey } from '../../core/requester-key.js';
import { Rules } from '../../core/rules.js';
import { HttpError, parseOr400, parseParams, parseQuery } from '../http/errors.js';
import type { Guards } from '../http/guards.js';
import type { Storage } from '../storage/storage.js';
import type { ActionOutcome, Moderator } from '../storage/moderation-queues.js';

const ReviewParams = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'not a review id')) });
const KeyParams = z.strictObject({ key: RequesterKey });
const IncidentParams = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'not an incident id')) });
const VersionParams = z.strictObject({ version: z.string().check(z.regex(/^[1-9][0-9]{0,5}$/, 'a rules version number')) });
const NoQuery = z.strictObject({});

export const MODERATION_PREFIX = '/v1/moderation';

function pageOf(query: { page?: string | undefined; perPage?: string | undefined }) {
  const perPage = query.perPage === undefined ? undefined : Number(query.perPage);
  if (perPage !== undefined && perPage > PER_PAGE_MAX) throw new HttpError(400, 'invalid_request', `perPage: at most ${PER_PAGE_MAX}`, 'perPage');
  return { ...(query.page ? { page: Number(query.page) } : {}), ...(perPage ? { perPage } : {}) };
}

export interface ModerationRouteOptions {
  now: () => number;
  /** Called after a rules version is published: the summaries are then recomputed in batches. */
  onRulesPublished: () => void;
}

export function moderationRoutes(app: FastifyInstance, storage: Storage, guards: Guards, options: ModerationRouteOptions): void {
  const { now } = options;
  const store = storage.moderation;

  async function moderator(request: FastifyRequest, adminOnly = false): Promise<Moderator> {
    const account = await guards.account(request);
    const role = await store.roleOf(account.id);
    // Non-moderators are told no more than an unknown secret would tell them.
    if (!role || account.bannedAt !== null) throw new HttpError(401, 'unauthorized', 'this account is not a moderator', 'Authorization');
    if (adminOnly && role.role !== 'admin') throw new HttpError(403, 'forbidden', 'only an admin may do this', 'Authorization');
    return { accountId: account.id, pseudonym: role.pseudonym, role: role.role };
  }

  const send = (reply: FastifyReply, body: unknown, status = 200) => reply.code(status).header('cache-control', 'no-store').send(body);
  const result = (outcome: ActionOutcome): ActionResult => ({ ok: true, recomputed: outcome.recomputed, ...(outcome.detail ? { detail: outcome.detail } : {}) });

  /** GET: the moderator first (401 before any validation can reveal anything), then the query. */
  function read<S extends z.ZodMiniType>(path: string, query: S, handler: (q: z.output<S>, request: FastifyRequest, mod: Moderator) => Promise<unknown>) {
    app.get(`${MODERATION_PREFIX}${path}`, async (request, reply) => {
      const mod = await moderator(request);
      return send(reply, await handler(parseQuery(query, request.query), request, mod));
    });
  }

  function action<S extends z.ZodMiniType>(
    path: string,
    body: S,
    handler: (input: z.output<S>, request: FastifyRequest, mod: Moderator) => Promise<unknown>,
    adminOnly = false,
  ) {
    app.post(`${MODERATION_PREFIX}${path}`, async (request, reply) => {
      const mod = await moderator(request, adminOnly);
      if (!/^application\/json\b/i.test(String(request.headers['content-type'] ?? ''))) {
        throw new HttpError(415, 'unsupported_media_type', 'send Content-Type: application/json', 'Content-Type');
      }
      return send(reply, await handler(parseOr400(body, request.body), request, mod));
    });
  }

  read('/me', NoQuery, async (_q, _r, mod): Promise<Me> => ({ pseudonym: mod.pseudonym, role: mod.role }));
  read('/counts', NoQuery, () => store.counts());

  read('/queues/flagged', FlaggedQuery, (q) => store.flagged({ ...pageOf(q), ...(q.reason ? { reason: q.reason } : {}), ...(q.requester ? { requester: q.requester } : {}) }));
  read('/queues/held', HeldQuery, (q) =>
    store.byStatus('held', { ...pageOf(q), ...(q.reason ? { reason: q.reason } : {}), ...(q.requester ? { requester: q.requester } : {}) }),
  );
  read('/queues/hidden', z.strictObject({ page: FlaggedQuery.shape.page, perPage: FlaggedQuery.shape.perPage, requester: FlaggedQuery.shape.requester }), (q) =>
    store.byStatus('hidden', { ...pageOf(q), ...(q.requester ? { requester: q.requester } : {}) }),
  );
  read('/queues/suspensions', SuspensionsQuery, (q) =>
    store.suspensions({ ...pageOf(q), ...(q.status ? { status: q.status } : {}), ...(q.requester ? { requester: q.requester } : {}) }),
  );
  read('/queues/issues', IssuesQuery, (q) =>
    store.issues({
      ...pageOf(q),
      ...(q.status ? { status: q.status } : {}),
      ...(q.reason ? { reason: q.reason } : {}),
      ...(q.requester ? { requester: q.requester } : {}),
    }),
  );
  read('/incidents', IncidentsQuery, (q) => store.incidents({ ...pageOf(q), ...(q.status ? { status: q.status } : {}) }));
  // Default: the published incident window, and the number of accounts that opens an incident.
  read('/correlation', CorrelationQuery, (q) =>
    store.correlation(Number(q.days ?? storage.rules().incidents.windowDays), Number(q.min ?? storage.rules().incidents.openAccounts), now()),
  );
  read('/audit', AuditQuery, (q) =>
    store.auditLog({
      ...pageOf(q),
      ...(q.action ? { action: q.action } : {}),
      ...(q.moderator ? { moderator: q.moderator } : {}),
      ...(q.target ? { target: q.target } : {}),
    }),
  );
  read('/rules', NoQuery, async () => ({ current: storage.rules(), versions: await store.rulesVersions() }));

  app.get(`${MODERATION_PREFIX}/requesters/:key/reports`, async (request, reply) => {
    await moderator(request);
    parseQuery(NoQuery, request.query);
    const { key } = parseParams(KeyParams, request.params);
    return send(reply, { reports: await store.suspensionReports(key) });
  });

  app.get(`${MODERATION_PREFIX}/rules/:version`, async (request, reply) => {
    await moderator(request);
    parseQuery(NoQuery, request.query);
    const { version } = parseParams(VersionParams, request.params);
    const rules = await storage.rulesVersion(Number(version));
    if (!rules) throw new HttpError(404, 'not_found', `no rules version ${version}`, 'version');
    return send(reply, Rules.parse(rules));
  });

  // ---------------------------------------------------------------- actions

  const reviewAction = (name: string, fn: (mod: Moderator, id: string, reason: string, at: number) => Promise<ActionOutcome>) =>
    action(`/reviews/:id/${name}`, ReasonBody, async (input, request, mod) => {
      const { id } = parseParams(ReviewParams, request.params);
      return result(await fn(mod, id, input.reason, now()));
    });
  reviewAction('hide', (m, id, r, at) => store.hideReview(m, id, r, at));
  reviewAction('restore', (m, id, r, at) => store.restoreReview(m, id, r, at));
  reviewAction('dismiss-flags', (m, id, r, at) => store.dismissReviewFlags(m, id, r, at));

  action('/held/release', ReleaseHeldBody, async (input, _request, mod) => result(await store.releaseHeld(mod, input.requester, input.reason, now())));

  action('/requesters/:key/suspension', DecisionBody, async (input, request, mod) => {
    const { key } = parseParams(KeyParams, request.params);
    return result(await store.decideSuspension(mod, key, input.decision, input.reason, now()));
  });
  action('/requesters/:key/issues', DecisionBody, async (input, request, mod) => {
    const { key } = parseParams(KeyParams, request.params);
    return result(await store.decideIssues(mod, key, input.decision, input.reason, now()));
  });

  action('/incidents/:id', DecisionBody, async (input, request, mod) => {
    const { id } = parseParams(IncidentParams, request.params);
    return result(await store.decideIncident(mod, id, input.decision, input.reason, now()));
  });

  action('/accounts/mute', MuteBody, async (input, _request, mod) => result(await store.muteAccount(mod, input.target, input.days, input.reason, now())));
  action('/accounts/ban', BanBody, async (input, _request, mod) => result(await store.banAccount(mod, input.target, input.reason, now())), true);
  action('/requesters/merge', MergeBody, async (input, _request, mod) => result(await store.mergeRequesters(mod, input.from, input.into, input.reason, now())));
  action(
    '/rules',
    PublishRulesBody,
    async (input, _request, mod) => {
      const published = await store.publishRules(mod, input.rules, input.reason, now());
      options.onRulesPublished();
      return published;
    },
    true,
  );
}
