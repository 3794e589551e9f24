/**
 * `npm run server`: the reputation server from the command line.
 *   --host, --port, --database (or LANTERN_HOST, LANTERN_PORT, LANTERN_DATABASE)
 *   --log-level (LANTERN_LOG_LEVEL), --trust-proxy (LANTERN_TRUST_PROXY=1)
 *   --no-rate-limits (LANTERN_RATE_LIMITS=off): when a proxy in front already limits, and for benchmarks
 *   --webhook-url, --webhook-secret (LANTERN_WEBHOOK_URL, LANTERN_WEBHOOK_SECRET): where incident
 *     notifications are POSTed, signed with the secret (docs/moderation.md); the environment is the
 *     better place for the secret (a flag shows in the process list)
 *   --job-periods age-windows=MS,prune-retry-keys=MS (LANTERN_JOB_PERIODS): how often the periodic
 *     jobs run (default hourly and daily); for staging and tests
 *   --leader-retry-ms (LANTERN_LEADER_RETRY_MS): PostgreSQL, several processes: how often a follower
 *     tries to become the leader that runs the jobs (default 2000), i.e. the failover time
 * SIGTERM / SIGINT: stop accepting, finish requests in flight, close the database, exit 0.
 */
import { parseArgs } from 'node:util';
import { withValuesJoined } from './cli-args.js';
import { startServer } from './index.js';
import { checkWebhookConfig } from './webhook.js';

const options = {
  host: { type: 'string' },
  port: { type: 'string' },
  database: { type: 'string' },
  'log-level': { type: 'string' },
  'trust-proxy': { type: 'boolean' },
  'no-rate-limits': { type: 'boolean' },
  'webhook-url': { type: 'string' },
  'webhook-secret': { type: 'string' },
  'job-periods': { type: 'string' },
  'leader-retry-ms': { type: 'string' },
} as const;
// A secret given as a flag may begin with "-" (cli-args.ts).
const { values } = parseArgs({ args: withValuesJoined(process.argv.slice(2), options), options });

const env = process.env;
const portText = values.port ?? env.LANTERN_PORT;
const port = portText === undefined ? undefined : Number(portText);
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
  console.error(`invalid port: ${portText}`);
  process.exit(2);
}

const webhookUrl = values['webhook-url'] ?? env.LANTERN_WEBHOOK_URL;
const webhookSecret = values['webhook-secret'] ?? env.LANTERN_WEBHOOK_SECRET;
const webhookProblem = webhookUrl ? checkWebhookConfig(webhookUrl, webhookSecret) : null;
if (webhookProblem) {
  console.error(webhookProblem);
  process.exit(2);
}

/** `age-windows=3600000,prune-retry-keys=86400000`: each a whole number of milliseconds ≥ 100. */
function parseJobPeriods(text: string | undefined): { ageWindowsMs?: number; pruneIdempotencyMs?: number } | null {
  if (text === undefined) return {};
  const names = { 'age-windows': 'ageWindowsMs', 'prune-retry-keys': 'pruneIdempotencyMs' } as const;
  const periods: { ageWindowsMs?: number; pruneIdempotencyMs?: number } = {};
  for (const part of text.split(',')) {
    const [name, ms] = part.split('=');
    const key = names[name as keyof typeof names];
    if (!key || !/^[1-9][0-9]{2,9}$/.test(ms ?? '')) return null;
    periods[key] = Number(ms);
  }
  return periods;
}
const jobPeriodsText = values['job-periods'] ?? env.LANTERN_JOB_PERIODS;
const jobPeriods = parseJobPeriods(jobPeriodsText);
if (!jobPeriods) {
  console.error(`invalid job periods: ${jobPeriodsText} (expected age-windows=MS,prune-retry-keys=MS, MS ≥ 100)`);
  process.exit(2);
}
const leaderRetryText = values['leader-retry-ms'] ?? env.LANTERN_LEADER_RETRY_MS;
const leaderRetryMs = leaderRetryText === undefined ? undefined : Number(leaderRetryText);
if (leaderRetryMs !== undefined && !(Number.isInteger(leaderRetryMs) && leaderRetryMs >= 100 && leaderRetryMs <= 600_000)) {
  console.error(`invalid leader retry: ${leaderRetryText} (milliseconds, 100 to 600000)`);
  process.exit(2);
}

const server = await startServer({
  host: values.host ?? env.LANTERN_HOST,
  port,
  database: values.database ?? env.LANTERN_DATABASE,
  logLevel: values['log-level'] ?? env.LANTERN_LOG_LEVEL,
  trustProxy: values['trust-proxy'] ?? env.LANTERN_TRUST_PROXY === '1',
  ...(webhookUrl && webhookSecret ? { webhook: { url: webhookUrl, secret: webhookSecret } } : {}),
  ...(values['no-rate-limits'] || env.LANTERN_RATE_LIMITS === 'off' ? { rateLimits: false as const } : {}),
  jobPeriods,
  ...(leaderRetryMs !== undefined ? { cluster: { leaderRetryMs } } : {}),
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(JSON.stringify({ level: 30, msg: `${signal}: finishing requests in flight, then closing` }));
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
