/**
 * Tests only: one more server process's webhook sender, so that a test can race two
 * processes on one database (SQLite's writer lock is per process, as in production).
 *   node --import tsx webhook-sender-child.ts <database> <schema or ""> <url> <secret> <now>
 * Prints how many deliveries it attempted.
 */
import { openStorage } from '../storage/sql-storage.js';
import { WebhookSender } from '../webhook.js';

const [database, schema, url, secret, nowText] = process.argv.slice(2);
const now = Number(nowText);
const storage = await openStorage(database!, { ...(schema ? { schema } : {}), now: () => now });
try {
  const attempted = await new WebhookSender(storage.moderation.webhooks, { url: url!, secret: secret! }, () => now).runOnce();
  process.stdout.write(`${attempted}\n`);
} finally {
  await storage.close();
}
