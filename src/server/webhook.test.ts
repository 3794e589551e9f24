/**
 * The webhook sender against a real HTTP receiver (node:http on a free port), on SQLite and
 * PostgreSQL: a delivery arrives once, signed; a failure is retried with backoff and then
 * delivered once; two senders on one database deliver each row once; a moderator's
 * decision reaches the receiver with no worker data in it.
 */
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from './http/guards.js';
import { KEY_A, T0, ctx, makeAccount, review } from './testing/builders.js';
import { startTestServer } from './testing/harness.js';
import { createTestDatabase, testBackends, type TestDatabase } from './testing/databases.js';
import { openStorage } from './storage/sql-storage.js';
import type { Storage } from './storage/storage.js';
import { seedDelivery, seedIncident, withSql } from './moderation/incident-fixtures.js';
import { CLAIM_MS, MAX_ATTEMPTS, retryDelay } from './storage/moderation-webhooks.js';
import { WebhookSender, checkWebhookConfig, signature } from './webhook.js';

const SECRET = 'test-webhook-secret-0123456789';
const CHILD = fileURLToPath(new URL('./moderation/webhook-sender-child.ts', import.meta.url));

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver answering each request with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = [], delayMs = 0) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses.shift() ?? 200;
      setTimeout(() => res.end('ok'), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** How a receiver checks a delivery (the example in docs/moderation.md). */
function verified(r: Received): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
  const given = Buffer.from(String(r.headers['x-lantern-signature'] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhook configuration', () => {
  it('needs an http(s) URL and a secret of 16 characters or more', () => {
    expect(checkWebhookConfig('https://hooks.example/x', SECRET)).toBeNull();
    expect(checkWebhookConfig('ftp://hooks.example/x', SECRET)).toMatch(/URL/);
    expect(checkWebhookConfig('not a url', SECRET)).toMatch(/URL/);
    expect(checkWebhookConfig('https://hooks.example/x', undefined)).toMatch(/secret/);
    expect(checkWebhookConfig('https://hooks.example/x', 'short')).toMatch(/secret/);
    expect(signature('k', 'body')).toBe(`sha256=${createHmac('sha256', 'k').update('body').digest('hex')}`);
  });

  it('backs off 30 s, doubling, capped at an hour', () => {
    expect([1, 2, 3, 4, 8, 12].map(retryDelay)).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });
});

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`webhook sender on ${backend}`, () => {
    let db: TestDatabase;
    let storage: Storage;
    let clock: number;
    const now = () => clock;

    beforeEach(async () => {
      clock = T0;
      db = await createTestDatabase(backend);
      storage = await openStorage(db.database, { ...db.options, now });
    });
    afterEach(async () => {
      await storage.close();
      await db.drop();
    });

    it('delivers a queued delivery once, with event, delivery id and a valid signature', async () => {
      const hook = await receiver();
      try {
        const body = JSON.stringify({ event: 'incident.opened', incident: { id: 'inc1' } });
        await seedDelivery(db, 'd1', body, T0);
        const sender = new WebhookSender(storage.moderation.webhooks, { url: hook.url, secret: SECRET }, now);
        expect(await sender.runOnce()).toBe(1);
        expect(await sender.runOnce()).toBe(0);
        expect(hook.received).toHaveLength(1);
        const [r] = hook.received;
        expect(r!.body).toBe(body);
        expect(r!.headers['content-type']).toBe('application/json');
        expect(r!.headers['x-lantern-event']).toBe('incident.opened');
        expect(r!.headers['x-lantern-delivery']).toBe('d1');
        expect(verified(r!)).toBe(true);
        expect(verified({ ...r!, body: `${body} ` })).toBe(false);
        expect(await storage.moderation.webhooks.state('d1')).toMatchObject({ attempts: 1, deliveredAt: T0, lastError: null });
      } finally {
        await hook.close();
      }
    });

    it('retries a 500 after the backoff and delivers once; gives up after the last attempt', async () => {
      const hook = await receiver([500]);
      try {
        await seedDelivery(db, 'd1', '{"event":"incident.opened"}', T0);
        const sender = new WebhookSender(storage.moderation.webhooks, { url: hook.url, secret: SECRET }, now);
        expect(await sender.runOnce()).toBe(1);
        expect(await storage.moderation.webhooks.state('d1')).toMatchObject({ attempts: 1, deliveredAt: null, lastError: 'HTTP 500', nextAttemptAt: T0 + 30_000 });
        // Not before its time.
        clock = T0 + 29_999;
        expect(await sender.runOnce()).toBe(0);
        clock = T0 + 30_000;
        expect(await sender.runOnce()).toBe(1);
        clock += 3_600_000;
        expect(await sender.runOnce()).toBe(0);
        expect(hook.received.map((r) => r.headers['x-lantern-delivery'])).toEqual(['d1', 'd1']);
        expect(await storage.moderation.webhooks.state('d1')).toMatchObject({ attempts: 2, deliveredAt: T0 + 30_000, lastError: null });

        // A receiver that always fails: MAX_ATTEMPTS tries, then the row is left alone.
        const down = await receiver(Array.from({ length: 50 }, () => 503));
        try {
          await seedDelivery(db, 'd2', '{}', clock);
          const failing = new WebhookSender(storage.moderation.webhooks, { url: down.url, secret: SECRET }, now);
          for (let i = 0; i < MAX_ATTEMPTS + 3; i++) {
            await failing.runOnce();
            clock += 3_600_000;
          }
          expect(down.received).toHaveLength(MAX_ATTEMPTS);
          expect(await storage.moderation.webhooks.state('d2')).toMatchObject({ attempts: MAX_ATTEMPTS, deliveredAt: null, lastError: 'HTTP 503' });
        } finally {
          await down.close();
        }
      } finally {
        await hook.close();
      }
    });

    it('times out a receiver that does not answer, and retries later', async () => {
      const silent = http.createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        await seedDelivery(db, 'd1', '{}', T0);
        const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
        const sender = new WebhookSender(storage.moderation.webhooks, { url, secret: SECRET, timeoutMs: 200 }, now);
        expect(await sender.runOnce()).toBe(1);
        expect(await storage.moderation.webhooks.state('d1')).toMatchObject({ attempts: 1, deliveredAt: null, lastError: 'timed out' });
      } finally {
        silent.closeAllConnections();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });

    it('two senders in two processes on one database deliver every row exactly once', async () => {
      // A slow receiver (100 ms each): both senders are still at work when the other starts.
      const hook = await receiver([], 100);
      try {
        for (let i = 0; i < 30; i++) await seedDelivery(db, `d${String(i).padStart(2, '0')}`, `{"n":${i}}`, T0);
        const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db.database, db.options.schema ?? '', hook.url, SECRET, String(T0)], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        let output = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
        const exited = once(child, 'exit');
        await expect.poll(() => output.includes('ready'), { timeout: 20_000 }).toBe(true);
        child.stdin.end('go\n');
        const here = await new WebhookSender(storage.moderation.webhooks, { url: hook.url, secret: SECRET }, now).runOnce();
        await exited;
        const there = Number(output.replace('ready', '').trim());
        expect(here + there).toBe(30);
        expect(here).toBeGreaterThan(0);
        expect(there).toBeGreaterThan(0);
        const ids = hook.received.map((r) => r.headers['x-lantern-delivery']);
        expect(ids).toHaveLength(30);
        expect(new Set(ids).size).toBe(30);
        // A claim another sender holds is not taken while it is live, and is after it expires.
        await seedDelivery(db, 'late', '{}', T0);
        expect(await storage.moderation.webhooks.claim('late', T0)).not.toBeNull();
        expect(await storage.moderation.webhooks.claim('late', T0 + CLAIM_MS - 1)).toBeNull();
        expect(await storage.moderation.webhooks.claim('late', T0 + CLAIM_MS + 1)).not.toBeNull();
      } finally {
        await hook.close();
      }
    });

    it('on a real server, the report that opens an incident wakes the sender: incident.opened arrives at once, signed, without worker data', async () => {
      const hook = await receiver();
      const server = await startTestServer(backend, { webhook: { url: hook.url, secret: SECRET, pollMs: 3_600_000 } });
      try {
        const reporters = [await server.account(), await server.account()];
        await withSql(server.db, async (tx) => {
          for (const secret of reporters) await tx.run('UPDATE accounts SET created_at = ? WHERE secret_hash = ?', [Date.now() - 30 * 86_400_000, sha256Hex(secret)]);
        });
        const note = 'private note 5519';
        for (const secret of reporters) {
          const res = await server.request('POST', '/v1/suspension-reports', {
            secret,
            body: { suspendedOn: '2026-05-30', note, tasks: [{ requester: KEY_A, requesterName: 'Acme Labs', taskId: 'T-SHARED', taskTitle: 'Transcribe audio' }] },
          });
          expect(res.status, res.text).toBe(201);
        }
        await expect.poll(() => hook.received.length, { timeout: 15_000 }).toBe(1);
        const [r] = hook.received;
        expect(r!.headers['x-lantern-event']).toBe('incident.opened');
        expect(verified(r!)).toBe(true);
        expect(JSON.parse(r!.body)).toMatchObject({ event: 'incident.opened', incident: { requester: { key: KEY_A }, taskId: 'T-SHARED', accounts: 2, status: 'open' } });
        expect(r!.body).not.toContain(note);
        for (const secret of reporters) expect(r!.body).not.toContain(secret);
        const accounts = await withSql(server.db, (tx) => tx.all<{ id: string }>('SELECT id FROM accounts'));
        for (const { id } of accounts) expect(r!.body).not.toContain(id);
      } finally {
        await server.close();
        await hook.close();
      }
    });

    it("a moderator's decision is sent at once (woken), with no account, report, note or reason in it", async () => {
      const hook = await receiver();
      try {
        const author = await makeAccount(storage, T0);
        await storage.createReview(ctx(author, T0), review());
        const reporter = await makeAccount(storage, T0);
        const note = 'Suspended the day after; private note 7731';
        await withSql(db, (tx) =>
          tx.run(
            `INSERT INTO suspension_reports (id, account_id, requester_key, suspended_on, reinstated, tasks_json, note, updated_at, reported_at, report_id)
             VALUES ('rep1', ?, ?, '2026-06-01', 0, '[]', ?, ?, ?, 'rep1')`,
            [reporter.id, KEY_A, note, T0, T0],
          ),
        );
        await seedIncident(db, { id: 'inc1', requester: KEY_A, taskId: 'T-SHARED', taskTitle: 'Transcribe audio', openedAt: T0 });
        const sender = new WebhookSender(storage.moderation.webhooks, { url: hook.url, secret: SECRET, pollMs: 3_600_000 }, now);
        storage.moderation.webhooks.onQueued(() => sender.wake());
        sender.start();
        clock = T0 + 1000;
        const reason = 'Seen in three reports, moderator reason 4410';
        await storage.moderation.decideIncident({ accountId: "m", pseudonym: "mod-x", role: "moderator" }, "inc1", "confirm", reason, clock);
        await expect.poll(() => hook.received.length, { timeout: 15_000 }).toBe(1);
        await sender.stop();
        const [r] = hook.received;
        expect(r!.headers['x-lantern-event']).toBe('incident.confirmed');
        expect(verified(r!)).toBe(true);
        const body = JSON.parse(r!.body);
        expect(body).toMatchObject({
          event: 'incident.confirmed',
          incident: { id: 'inc1', requester: { key: KEY_A, name: 'Acme Labs' }, taskId: 'T-SHARED', status: 'confirmed', replicated: 'confirmed', accounts: 3 },
        });
        for (const secretThing of [reporter.id, author.id, note, reason, 'rep1', 'mod-x']) expect(r!.body).not.toContain(secretThing);
      } finally {
        await hook.close();
      }
    });
  });
}
