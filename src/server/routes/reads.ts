/** The sync feed, review buckets, rules, health, the public export and an author's own reviews and suspension reports. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as z from 'zod/mini';
import { Rules } from '../../core/rules.js';
import {
  BUCKET_REVIEWS_PER_REQUESTER,
  BucketQuery,
  DELTA_DEFAULT_LIMIT,
  DELTA_MAX_LIMIT,
  SYNC_FORMAT,
  VersionToken,
  formatVersionToken,
  parseVersionToken,
  prefixLengthFor,
  type BucketBody,
  OwnSuspensionReports,
} from '../../core/sync-protocol.js';
import { HttpError, parseParams, parseQuery } from '../http/errors.js';
import type { Guards } from '../http/guards.js';
import type { Storage } from '../storage/storage.js';
import type { ExportCache } from '../sync/export-cache.js';
import { matchingEtag, type SnapshotCache } from '../sync/snapshot-cache.js';

const ChangesQuery = z.strictObject({
  since: VersionToken,
  limit: z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,5}$/, `a whole number from 1 to ${DELTA_MAX_LIMIT}`))),
});
const RulesParams = z.strictObject({ version: z.string().check(z.regex(/^[1-9][0-9]{0,5}$/, 'a rules version number')) });
const NoQuery = z.strictObject({});

function acceptsGzip(request: FastifyRequest): boolean {
  return /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
}

export interface ReadOptions {
  advisedWaitSeconds: number;
}

export function readRoutes(
  app: FastifyInstance,
  storage: Storage,
  guards: Guards,
  caches: { snapshot: SnapshotCache; export: ExportCache },
  options: ReadOptions,
): void {
  app.get('/v1/health', async (_request, reply) => {
    const head = await storage.syncHead();
    return reply.header('cache-control', 'no-store').send({ status: 'ok', version: formatVersionToken(head.epoch, head.seq) });
  });

  app.get('/v1/rules', async (request, reply) => {
    parseQuery(NoQuery, request.query);
    return reply.header('cache-control', 'public, max-age=300').send(storage.rules());
  });

  app.get('/v1/rules/:version', async (request, reply) => {
    const { version } = parseParams(RulesParams, request.params);
    const rules = await storage.rulesVersion(Number(version));
    if (!rules) throw new HttpError(404, 'not_found', `no rules version ${version}`, 'version');
    return reply.header('cache-control', 'public, max-age=86400, immutable').send(Rules.parse(rules));
  });

  // Prebuilt bytes only (sync/snapshot-cache.ts): nothing is serialised or compressed per request.
  app.get('/v1/sync/snapshot', async (request, reply) => {
    parseQuery(NoQuery, request.query);
    const snapshot = await caches.snapshot.get();
    reply.header('cache-control', 'public, max-age=60').header('vary', 'accept-encoding');
    const matched = matchingEtag(request.headers['if-none-match'], snapshot);
    if (matched) return reply.header('etag', matched).code(304).send();
    reply.type('application/json; charset=utf-8');
    if (acceptsGzip(request)) return reply.header('etag', snapshot.gzipEtag).header('content-encoding', 'gzip').send(snapshot.gzipped);
    return reply.header('etag', snapshot.etag).send(snapshot.identity);
  });

  app.get('/v1/sync/changes', async (request, reply) => {
    const query = parseQuery(ChangesQuery, request.query);
    const token = parseVersionToken(query.since)!;
    const limit = query.limit === undefined ? DELTA_DEFAULT_LIMIT : Number(query.limit);
    if (limit > DELTA_MAX_LIMIT) throw new HttpError(400, 'invalid_request', `limit: at most ${DELTA_MAX_LIMIT}`, 'limit');
    const page = await storage.changesSince(token.seq, limit);
    const { head } = page;
    if (token.epoch !== head.epoch) {
      throw new HttpError(400, 'unknown_version', 'since: this version token is from another database; take the snapshot', 'since');
    }
    if (token.seq > head.seq) throw new HttpError(400, 'unknown_version', 'since: this version is newer than the server; take the snapshot', 'since');
    // Built as text from the stored canonical rows (same bytes as the snapshot's rows).
    const body =
      `{"format":${SYNC_FORMAT},"since":${JSON.stringify(query.since)},` +
      `"version":${JSON.stringify(formatVersionToken(head.epoch, page.through))},"more":${page.more},` +
      `"rows":[${page.rows.join(',')}],"removed":${JSON.stringify(page.removed)},` +
      `"checksum":${page.more ? 'null' : JSON.stringify(head.checksum)},"rulesVersion":${head.rulesVersion},` +
      `"bucketPrefixLength":${prefixLengthFor(head.checksum.rows)},"retryAfterSeconds":${page.more ? 0 : options.advisedWaitSeconds}}`;
    return reply.header('cache-control', 'public, max-age=10').type('application/json; charset=utf-8').send(body);
  });

  app.get('/v1/buckets', async (request, reply) => {
    const { prefix } = parseQuery(BucketQuery, request.query);
    const head = await storage.syncHead();
    const longest = prefixLengthFor(head.checksum.rows);
    if (prefix.length > longest) {
      // Longer prefixes would name smaller groups of requesters: refused, to keep buckets ≥ 20 on average.
      throw new HttpError(400, 'invalid_request', `prefix: at most ${longest} hex characters at this database size`, 'prefix');
    }
    const requesters = await storage.bucket(prefix, BUCKET_REVIEWS_PER_REQUESTER);
    const body: BucketBody = { prefix, bucketPrefixLength: longest, requesters: requesters as BucketBody['requesters'] };
    return reply.header('cache-control', 'public, max-age=60').send(body);
  });

  app.get('/v1/export', async (request, reply) => {
    parseQuery(NoQuery, request.query);
    const built = await caches.export.get();
    reply.header('etag', built.etag).header('cache-control', 'public, max-age=3600');
    if (request.headers['if-none-match'] === built.etag) return reply.code(304).send();
    return reply
      .type('application/gzip')
      .header('content-disposition', 'attachment; filename="lantern-export.ndjson.gz"')
      .send(built.gzipped);
  });

  app.get('/v1/account/reviews', async (request, reply) => {
    parseQuery(NoQuery, request.query);
    const account = await guards.account(request);
    return reply.header('cache-control', 'no-store').send({ reviews: await storage.ownReviews(account.id) });
  });

  app.get('/v1/suspension-reports/mine', async (request, reply) => {
    parseQuery(NoQuery, request.query);
    const account = await guards.account(request);
    const body: z.infer<typeof OwnSuspensionReports> = { reports: await storage.ownSuspensionReports(account.id) };
    return reply.header('cache-control', 'no-store').send(body);
  });
}
