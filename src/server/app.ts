/**
 * The HTTP API on Fastify: chosen over Hono because it runs on Node with pino logging,
 * body limits, a graceful `close()` that lets in-flight requests finish, and a mature
 * plugin for CORS built in — everything this server needs, without adapters.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { installErrorHandling, sendError } from './http/errors.js';
import { MAX_PARAM_LENGTH, RouteMethods, clientErrorHandler, frameworkError, installHostCheck, installNotFound } from './http/framework-errors.js';
import { installJsonBody } from './http/json-body.js';
import { Guards, originMatcher } from './http/guards.js';
import type { RateLimits } from './http/rate-limit.js';
import { readRoutes } from './routes/reads.js';
import { writeRoutes } from './routes/writes.js';
import { moderationPage } from './moderation/page.js';
import { MODERATION_PREFIX, moderationRoutes } from './moderation/routes.js';
import type { Storage } from './storage/storage.js';
import { ExportCache } from './sync/export-cache.js';
import { SnapshotCache } from './sync/snapshot-cache.js';

export interface AppOptions {
  storage: Storage;
  logger: Logger;
  corsOrigins: readonly string[];
  /** `false` turns limits off (benchmarks, the property-based tests). */
  rateLimits: RateLimits | false;
  /** Bytes; a review with 2,000 characters of escaped text stays well under it. */
  bodyLimit: number;
  snapshotMaxAgeMs: number;
  exportMaxAgeMs: number;
  advisedWaitSeconds: number;
  /** Behind a load balancer: take the client address from X-Forwarded-For (hashed like any other). */
  trustProxy: boolean;
  now: () => number;
  /** Where the built moderation page is (dist/moderation by default). */
  moderationPageDir?: string;
  /** After a rules version is published: recompute the summaries in batches. */
  onRulesPublished?: () => void;
}

/** The moderation page and its API are same-origin only: the page's own origin, never an extension's or a site's. */
function isModerationPath(url: string): boolean {
  return url === '/moderate' || url.startsWith('/moderate/') || url.startsWith('/moderate?') || url === MODERATION_PREFIX || url.startsWith(`${MODERATION_PREFIX}/`);
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Counts route handlers still running. A client that hangs up mid-request closes its
 * connection, so Fastify's close() can return while the handler is still writing;
 * shutdown waits for this count to reach zero before closing the database.
 */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.count += 1;
    try {
      return await work();
    } finally {
      this.count -= 1;
      if (this.count === 0) this.waiters.splice(0).forEach((resolve) => resolve());
    }
  }

  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * Connections that never carried a request (browsers open spare sockets ahead of time).
 * Node counts them as busy, not idle, so a graceful close would wait for its headers
 * timeout (about a minute) on each; at shutdown they are dropped — nothing is lost.
 */
class UnusedConnections {
  private readonly unused = new Set<Socket>();
  private closing = false;

  watch(server: Server): void {
    server.on('connection', (socket: Socket) => {
      if (this.closing) return void socket.destroy();
      this.unused.add(socket);
      socket.once('close', () => this.unused.delete(socket));
    });
    server.on('request', (request: IncomingMessage) => this.unused.delete(request.socket as Socket));
  }

  drop(): void {
    this.closing = true;
    for (const socket of this.unused) socket.destroy();
    this.unused.clear();
  }
}

export async function buildApp(
  options: AppOptions,
): Promise<{ app: FastifyInstance; guards: Guards; inFlight: InFlight; dropUnusedConnections: () => void }> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps Fastify's default generics.
    loggerInstance: options.logger as FastifyBaseLogger,
    // Fastify's own per-request lines are off; the onResponse hook below writes a safe one.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy,
    // Request ids are counters made here, never taken from a client header.
    requestIdHeader: false,
    return503OnClosing: true,
    // Refusals before a route runs, in our error shape (http/framework-errors.ts).
    frameworkErrors: frameworkError,
    clientErrorHandler,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Node's own Host check answers with an empty body; installHostCheck makes it in our shape.
    http: { requireHostHeader: false },
  });
  const { storage, now } = options;
  const unused = new UnusedConnections();
  unused.watch(app.server);
  const guards = new Guards(storage, options.rateLimits, now);
  const allowedOrigin = originMatcher(options.corsOrigins);

  installErrorHandling(app);
  const routeMethods = new RouteMethods();
  routeMethods.watch(app);
  installNotFound(app, routeMethods);
  installHostCheck(app);
  const inFlight = new InFlight();
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function tracked(this: FastifyInstance, request, reply) {
      return inFlight.track(async () => handler.call(this, request, reply));
    };
  });
  // JSON only: a text/plain body is what a web page can send without a CORS preflight.
  app.removeContentTypeParser('text/plain');
  // Our JSON parser replaces Fastify's (and its proto-poisoning options): checks before parsing.
  installJsonBody(app);
  // A web page's origin is refused outright, not only denied CORS headers: its "simple"
  // requests would otherwise still reach the handlers.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (isModerationPath(request.url)) {
      // Same-origin requests from /moderate carry the server's own origin (or none, for GETs).
      if (origin !== undefined && !sameHost(origin, request.headers.host)) {
        return sendError(reply, 403, 'origin_not_allowed', 'the moderation API is only for the moderation page on this server');
      }
    } else if (origin !== undefined && !allowedOrigin(origin)) {
      return sendError(reply, 403, 'origin_not_allowed', 'this API is only for the Lantern extension');
    }
    guards.checkAddress(request);
  });
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowedOrigin(origin)),
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match'],
    exposedHeaders: ['ETag', 'Retry-After', 'Idempotent-Replayed'],
    maxAge: 86400,
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, route: request.routeOptions.url ?? '(none)', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  writeRoutes(app, storage, guards, now);
  moderationRoutes(app, storage, guards, { now, onRulesPublished: options.onRulesPublished ?? (() => undefined) });
  moderationPage(app, options.moderationPageDir);
  readRoutes(
    app,
    storage,
    guards,
    { snapshot: new SnapshotCache(storage, options.snapshotMaxAgeMs, now), export: new ExportCache(storage, options.exportMaxAgeMs, now) },
    { advisedWaitSeconds: options.advisedWaitSeconds },
  );
  return { app, guards, inFlight, dropUnusedConnections: () => unused.drop() };
}
