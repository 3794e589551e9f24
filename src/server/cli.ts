/**
 * `npm run server`: the reputation server from the command line.
 *   --host, --port, --database (or LANTERN_HOST, LANTERN_PORT, LANTERN_DATABASE)
 *   --log-level (LANTERN_LOG_LEVEL), --trust-proxy (LANTERN_TRUST_PROXY=1)
 *   --no-rate-limits (LANTERN_RATE_LIMITS=off): when a proxy in front already limits, and for benchmarks
 *   --webhook-url, --webhook-secret (LANTERN_WEBHOOK_URL, LANTERN_WEBHOOK_SECRET): where incident
 *     notifications are POSTed, signed with the secret (docs/moderation.md); the environment is the
 *     better place for the secret (a flag shows in the process list)
 * SIGTERM / SIGINT: stop accepting, finish requests in flight, close the database, exit 0.
 */
import { parseArgs } from 'node:util';
import { startServer } from './index.js';
import { checkWebhookConfig } from './webhook.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    database: { type: 'string' },
    'log-level': { type: 'string' },
    'trust-proxy': { type: 'boolean' },
    'no-rate-limits': { type: 'boolean' },
    'webhook-url': { type: 'string' },
    'webhook-secret': { type: 'string' },
  },
});

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

const server = await startServer({
  host: values.host ?? env.LANTERN_HOST,
  port,
  database: values.database ?? env.LANTERN_DATABASE,
  logLevel: values['log-level'] ?? env.LANTERN_LOG_LEVEL,
  trustProxy: values['trust-proxy'] ?? env.LANTERN_TRUST_PROXY === '1',
  ...(webhookUrl && webhookSecret ? { webhook: { url: webhookUrl, secret: webhookSecret } } : {}),
  ...(values['no-rate-limits'] || env.LANTERN_RATE_LIMITS === 'off' ? { rateLimits: false as const } : {}),
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
