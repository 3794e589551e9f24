/**
 * Tests only: one more server process's webhook sender, so that a test can race two
 * processes on one database (SQLite's writer lock is per process, as in production).
 *   node --import tsx webhook-sender-child.ts <database> <schema or ""> <url> <secret> <now>
 * Prints "ready" once its database is open, starts when a line arrives on stdin (so both
 * senders really run at the same time), then prints how many deliveries it attempted.
 */
import { once } from 'node:events';
import { openStorage } from '../storage/sql-storage.js';
import { WebhookSender } from '../webhook.js';

const [database, schema, url, secret, nowText] = process.argv.slice(2);
const now = Number(nowText);
const storage = await openStorage(database!, { ...(schema ? { schema } : {}), now: () => now });
try {
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  process.stdin.destroy();
  const attempted = await new WebhookSender(storage.moderation.webhooks, { url: url!, secret: secret! }, () => now).runOnce();
  process.stdout.write(`${attempted}\n`);
} finally {
  await storage.close();
}
