/** Accounts, reviews, suspension reports (filed, replaced, withdrawn) and flags: every write validated, authenticated, idempotent. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import * as z from 'zod/mini';
import { ReviewFlagInput, ReviewInput, RequesterFlagInput, SuspensionReportInput } from '../../core/schemas.js';
import type { AccountCreated } from '../../core/sync-protocol.js';
import { HttpError, parseOr400, parseParams, parseQuery } from '../http/errors.js';
import { sha256Hex, type Guards } from '../http/guards.js';
import type { ParsedRequesterFlag, ParsedReviewFlag, ParsedSuspensionReport, Storage, StoredResponse } from '../storage/storage.js';

const ReviewIdParams = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'not a review id')) });
const ReportIdParams = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'not a report id')) });
/** Account creation takes no input: an empty body or `{}`. */
const NoInput = z.optional(z.strictObject({}));

function send(reply: FastifyReply, stored: StoredResponse) {
  if (stored.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(stored.status).header('cache-control', 'no-store').send(stored.body);
}

export function writeRoutes(app: FastifyInstance, storage: Storage, guards: Guards, now: () => number): void {
  app.post('/v1/accounts', async (request, reply) => {
    parseOr400(NoInput, request.body);
    guards.checkAccountCreation(request);
    // Made here, returned once, stored only as its SHA-256: a database leak reveals no secret.
    const secret = randomBytes(32).toString('base64url');
    const account = await storage.createAccount(sha256Hex(secret), now());
    const body: AccountCreated = { accountSecret: secret, createdAt: new Date(account.createdAt).toISOString() };
    return reply.code(201).header('cache-control', 'no-store').send(body);
  });

  app.post('/v1/reviews', async (request, reply) => {
    const ctx = await guards.writeContext(request, request.body);
    const review = parseOr400(ReviewInput, request.body);
    return send(reply, await storage.createReview(ctx, review));
  });

  app.put('/v1/reviews/:id', async (request, reply) => {
    const ctx = await guards.writeContext(request, request.body);
    const { id } = parseParams(ReviewIdParams, request.params);
    const review = parseOr400(ReviewInput, request.body);
    return send(reply, await storage.updateReview(ctx, id, review));
  });

  app.delete('/v1/reviews/:id', async (request, reply) => {
    if (request.body !== undefined) throw new HttpError(400, 'invalid_request', 'DELETE takes no body', '(body)');
    const ctx = await guards.writeContext(request, null);
    const { id } = parseParams(ReviewIdParams, request.params);
    return send(reply, await storage.deleteReview(ctx, id));
  });

  app.post('/v1/suspension-reports', async (request, reply) => {
    const ctx = await guards.writeContext(request, request.body);
    const report = parseOr400(SuspensionReportInput, request.body) as ParsedSuspensionReport;
    return send(reply, await storage.reportSuspension(ctx, report));
  });

  app.put('/v1/suspension-reports/:id', async (request, reply) => {
    const ctx = await guards.writeContext(request, request.body);
    const { id } = parseParams(ReportIdParams, request.params);
    const report = parseOr400(SuspensionReportInput, request.body) as ParsedSuspensionReport;
    return send(reply, await storage.updateSuspensionReport(ctx, id, report));
  });

  app.delete('/v1/suspension-reports/:id', async (request, reply) => {
    if (request.body !== undefined) throw new HttpError(400, 'invalid_request', 'DELETE takes no body', '(body)');
    const ctx = await guards.writeContext(request, null);
    const { id } = parseParams(ReportIdParams, request.params);
    return send(reply, await storage.withdrawSuspensionReport(ctx, id));
  });

  app.post('/v1/requester-flags', async (request, reply) => {
    const ctx = await guards.writeContext(request, request.body);
    const flag = parseOr400(RequesterFlagInput, request.body) as ParsedRequesterFlag;
    return send(reply, await storage.flagRequester(ctx, flag));
  });

  app.post('/v1/review-flags', async (request, reply) => {
    const ctx = await guards.writeContext(request, request.body);
    const flag = parseOr400(ReviewFlagInput, request.body) as ParsedReviewFlag;
    return send(reply, await storage.flagReview(ctx, flag));
  });
}
