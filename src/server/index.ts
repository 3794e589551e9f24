/**
 * `startServer`: open the database (migrating it), serve the API, run the periodic jobs,
 * and close it all in order — stop accepting, finish requests in flight, close the database.
 */
import type { DestinationStream } from 'pino';
import { buildApp } from './app.js';
import { DEFAULT_CORS_ORIGINS } from './http/guards.js';
import { createLogger } from './http/logging.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rate-limit.js';
import { DEFAULT_SQLITE_PATH, openStorage } from './storage/sql-storage.js';
import { WebhookSender, type WebhookConfig } from './webhook.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface ServerOptions {
  host?: string;
  port?: number;
  /** A SQLite file path, or a postgres:// URL (`?schema=name` picks a schema). */
  database?: string;
  logLevel?: string;
  corsOrigins?: string[];
  rateLimits?: RateLimits | false;
  bodyLimit?: number;
  snapshotMaxAgeMs?: number;
  exportMaxAgeMs?: number;
  advisedWaitSeconds?: number;
  trustProxy?: boolean;
  /** Where incident notifications are POSTed (signed with the secret); without it they wait in the database. */
  webhook?: WebhookConfig;
  /** Where the built moderation page is (default dist/moderation). */
  moderationPageDir?: string;
  /** Tests: where log lines go, and the clock. */
  logDestination?: DestinationStream;
  now?: () => number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const now = options.now ?? Date.now;
  const logger = createLogger(options.logLevel ?? 'info', options.logDestination);
  const storage = await openStorage(options.database ?? DEFAULT_SQLITE_PATH, { now });
  const { app, guards, inFlight, dropUnusedConnections } = await buildApp({
    storage,
    logger,
    corsOrigins: options.corsOrigins ?? DEFAULT_CORS_ORIGINS,
    rateLimits: options.rateLimits ?? DEFAULT_RATE_LIMITS,
    bodyLimit: options.bodyLimit ?? 32 * 1024,
    snapshotMaxAgeMs: options.snapshotMaxAgeMs ?? 5 * 60_000,
    exportMaxAgeMs: options.exportMaxAgeMs ?? HOUR_MS,
    advisedWaitSeconds: options.advisedWaitSeconds ?? 300,
    trustProxy: options.trustProxy ?? false,
    now,
    ...(options.moderationPageDir ? { moderationPageDir: options.moderationPageDir } : {}),
    onRulesPublished: () => recomputeForRules(),
  });

  // Periodic jobs. Each run is awaited before the next can start, and close() waits for it.
  let running: Promise<unknown> = Promise.resolve();
  let stopping = false;
  /** After a rules change: every requester's summary, 200 per transaction, so writes interleave. */
  function recomputeForRules(): void {
    running = running
      .then(async () => {
        let total = 0;
        for (let more = true; more && !stopping; ) {
          const batch = await storage.moderation.recomputeForRules(now());
          total += batch.recomputed;
          more = batch.more;
        }
        if (total > 0) logger.info({ recomputed: total }, 'recomputed summaries under new rules');
      })
      .catch((err: unknown) => logger.error({ err: { type: (err as Error).name } }, 'rules recompute failed'));
  }
  const every = (ms: number, job: () => Promise<unknown> | void) => {
    const timer = setInterval(() => {
      running = running.then(job).catch((err: unknown) => logger.error({ err: { type: (err as Error).name } }, 'periodic job failed'));
    }, ms);
    timer.unref();
    return timer;
  };
  const timers = [
    every(HOUR_MS, async () => logger.info({ recomputed: await storage.ageWindows(now()) }, 'aged time windows')),
    every(DAY_MS, async () => logger.info({ pruned: await storage.pruneIdempotency(now() - 7 * DAY_MS) }, 'pruned idempotency keys')),
    every(DAY_MS, () => guards.rotate()),
    every(60_000, () => guards.sweep()),
  ];
  // Incident notifications: looked for every few seconds, and at once after a moderator's
  // decision or a suspension report (the write that may have opened an incident).
  const webhook = options.webhook ? new WebhookSender(storage.moderation.webhooks, options.webhook, now, logger) : null;
  if (webhook) {
    storage.moderation.webhooks.onQueued(() => webhook.wake());
    app.addHook('onResponse', async (request, reply) => {
      if (request.method !== 'GET' && reply.statusCode < 300 && request.routeOptions.url?.startsWith('/v1/suspension-reports')) webhook.wake();
    });
  }
  // Catch up on windows crossed while the server was down.
  running = storage.ageWindows(now()).catch(() => undefined);
  // And finish a recompute after a rules change that a restart interrupted.
  recomputeForRules();

  let address: string;
  try {
    address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8787 });
    webhook?.start();
  } catch (error) {
    timers.forEach(clearInterval);
    await running;
    await app.close();
    await storage.close();
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    url: address,
    close() {
      closing ??= (async () => {
        timers.forEach(clearInterval);
        stopping = true;
        const closed = app.close();
        dropUnusedConnections();
        await closed;
        await inFlight.idle();
        await running;
        await webhook?.stop();
        await storage.close();
        logger.info('server closed');
      })();
      return closing;
    },
  };
}
