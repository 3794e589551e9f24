/**
 * `startServer`: open the database (migrating it), serve the API, run the periodic jobs,
 * and close it all in order — stop accepting, finish requests in flight, close the database.
 *
 * Several processes may serve one PostgreSQL (issue 14): the periodic jobs run on the
 * leader only, once per period (cluster/jobs.ts); new rules and finished recomputes are
 * told to every process, which reloads its rules and drops its snapshot and export caches
 * (cluster/notify.ts). Rate limits stay per process (docs/deploy.md says how to balance).
 */
import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { buildApp } from './app.js';
import { openCluster } from './cluster/cluster.js';
import { JobScheduler } from './cluster/jobs.js';
import type { ClusterEvent } from './cluster/notify.js';
import { DEFAULT_CORS_ORIGINS } from './http/guards.js';
import { createLogger } from './http/logging.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rate-limit.js';
import { DEFAULT_SQLITE_PATH, openStorage } from './storage/sql-storage.js';
import { invalidateCaches } from './sync/invalidation.js';
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
  /** How often the periodic jobs run (default: windows hourly, idempotency pruning daily); tests shorten them. */
  jobPeriods?: { ageWindowsMs?: number; pruneIdempotencyMs?: number };
  /** PostgreSQL: how often a follower tries to become leader (default 2 s), and polls while its listen connection is down (0.5 s). */
  cluster?: { leaderRetryMs?: number; pollMs?: number };
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
  // This process's random id in job_runs and the log (names no machine).
  const runner = randomBytes(6).toString('base64url');
  const cluster = openCluster(options.database ?? DEFAULT_SQLITE_PATH, storage, { ...options.cluster, log: logger });
  const { leadership, bus } = cluster;
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
    // Every process (this one too, through the bus) reloads the rules and drops its caches.
    onRulesPublished: () =>
      void bus.publish({ kind: 'rules', version: storage.rules().version }).catch((err: unknown) => logger.error({ err: { type: (err as Error).name } }, 'rules notification failed')),
  });

  const jobs = new JobScheduler({ leadership, claims: storage, runner, now, log: logger });
  logger.info({ runner }, 'job runner id');

  /** After a rules change, on the leader: every requester's summary, 200 per transaction, so writes interleave. */
  function recomputeForRules(): void {
    const version = storage.rules().version;
    jobs.once(
      'rules-recompute',
      version,
      async () => {
        let total = 0;
        let more = true;
        // A deposed leader stops between batches: the new one carries on from the cursor (`unfinished` below).
        while (more && jobs.shouldContinue) {
          const batch = await storage.moderation.recomputeForRules(now());
          total += batch.recomputed;
          more = batch.more;
        }
        if (more) return { recomputed: total, interrupted: true };
        // Every process's snapshot then carries the recomputed rows.
        await bus.publish({ kind: 'recomputed', version });
        return { recomputed: total };
      },
      async () => (await storage.rulesState()).recomputing,
    );
  }
  let settling: ReturnType<typeof setTimeout> | null = null;
  async function onClusterEvent(event: ClusterEvent): Promise<void> {
    // Every kind: a `recomputed` may be the first this process hears of rules whose `rules` notice it missed.
    await storage.refreshRules();
    invalidateCaches(storage);
    if (event.kind === 'recomputed' || !leadership.isLeader()) return;
    if (cluster.rulesSettleMs === 0) return recomputeForRules();
    // Several processes: recompute once all of them hold the new rules (see Cluster.rulesSettleMs).
    if (settling) clearTimeout(settling);
    settling = setTimeout(() => {
      settling = null;
      recomputeForRules();
    }, cluster.rulesSettleMs);
    settling.unref();
  }
  bus.onEvent((event) => void onClusterEvent(event).catch((err: unknown) => logger.error({ err: { type: (err as Error).name } }, 'cluster event failed')));
  // A new leader (or a restarted one) finishes a recompute its predecessor left unfinished.
  leadership.onChange((leader) => leader && recomputeForRules());
  if (leadership.isLeader()) recomputeForRules();

  // The start-up runs (windows crossed while down) begin before serving, as with one process.
  await leadership.ready();
  const periods = options.jobPeriods ?? {};
  jobs.every('age-windows', periods.ageWindowsMs ?? HOUR_MS, async () => {
    // A safety net: a recompute whose notification was lost (the publisher's NOTIFY failed) starts here
    // (not while one is settling: that one starts when every process holds the rules).
    if (!settling && (await storage.rulesState()).recomputing) {
      await storage.refreshRules();
      recomputeForRules();
    }
    return { recomputed: await storage.ageWindows(now()) };
  });
  // Named without the word the privacy test keeps out of logs (idempotency keys never appear there).
  jobs.every('prune-retry-keys', periods.pruneIdempotencyMs ?? DAY_MS, async () => ({
    pruned: await storage.pruneIdempotency(now() - 7 * DAY_MS),
    prunedJobRuns: await storage.pruneJobRuns(now() - 30 * DAY_MS),
  }));
  // The rate limits' memory is each process's own: these run in every process.
  const every = (ms: number, job: () => void) => {
    const timer = setInterval(job, ms);
    timer.unref();
    return timer;
  };
  const timers = [every(DAY_MS, () => guards.rotate()), every(60_000, () => guards.sweep())];
  // Incident notifications: looked for every few seconds, and at once after a moderator's
  // decision or a suspension report (the write that may have opened an incident). Every
  // process may send: a delivery goes out once, to whichever claims it (webhook-outbox.ts).
  const webhook = options.webhook ? new WebhookSender(storage.moderation.webhooks, options.webhook, now, logger) : null;
  if (webhook) {
    storage.moderation.webhooks.onQueued(() => webhook.wake());
    app.addHook('onResponse', async (request, reply) => {
      if (request.method !== 'GET' && reply.statusCode < 300 && request.routeOptions.url?.startsWith('/v1/suspension-reports')) webhook.wake();
    });
  }

  let address: string;
  try {
    address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8787 });
    webhook?.start();
  } catch (error) {
    timers.forEach(clearInterval);
    await jobs.stop();
    await app.close();
    await cluster.close();
    await storage.close();
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    url: address,
    close() {
      closing ??= (async () => {
        timers.forEach(clearInterval);
        if (settling) clearTimeout(settling);
        const stopped = jobs.stop();
        const closed = app.close();
        dropUnusedConnections();
        await closed;
        await inFlight.idle();
        await stopped;
        await webhook?.stop();
        // Ending the leader's connection frees the lock at once for another process.
        await cluster.close();
        await storage.close();
        logger.info('server closed');
      })();
      return closing;
    },
  };
}
