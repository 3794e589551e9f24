/**
 * Privacy, proved: after a realistic session, no table row and no log line holds the
 * client's address or an account secret; the export holds no account id; one account's
 * reviews of two requesters carry two different pseudonyms; suspension reports (their
 * notes, dates and ids) reach neither the export nor the sync feed — only counts and an
 * incident's task group do.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_A, KEY_B, review } from './testing/builders.js';
import { testBackends } from './testing/databases.js';
import { CLIENT_ADDRESS, startTestServer, type TestServer } from './testing/harness.js';
import { openPostgresDriver } from './storage/postgres-driver.js';
import { openSqliteDriver } from './storage/sqlite-driver.js';

/** Makes every account `days` older, so their reports count as established ones. */
async function ageAccounts(t: TestServer, days: number): Promise<void> {
  const { db } = t;
  const driver = db.backend === 'sqlite' ? openSqliteDriver(db.database) : openPostgresDriver(db.database, { schema: db.options.schema! });
  try {
    await driver.write((tx) => tx.run('UPDATE accounts SET created_at = created_at - ?', [days * 86_400_000]));
  } finally {
    await driver.close();
  }
}

/** The address as text, and the forms a careless implementation might store it in. */
const ADDRESS_FORMS = [CLIENT_ADDRESS, `::ffff:${CLIENT_ADDRESS}`, '7f000002', Buffer.from([127, 0, 0, 2]).toString('base64')];

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`privacy on ${backend}`, () => {
    let t: TestServer;
    const secrets: string[] = [];
    const reviewTexts = ['The timer was far too short, returned it', 'Lovely requester, paid a bonus quickly'];
    const reportIds: string[] = [];

    beforeAll(async () => {
      // Rate limits on: they are what would hold an address, if anything did.
      t = await startTestServer(backend, { rateLimits: undefined });
      for (let i = 0; i < 3; i++) secrets.push(await t.account());
      await ageAccounts(t, 30);
      const [alice, bob, carol] = secrets as [string, string, string];
      const a1 = await t.request('POST', '/v1/reviews', { secret: alice, body: review({ requester: KEY_A, text: reviewTexts[0] }) });
      await t.request('POST', '/v1/reviews', { secret: alice, body: review({ requester: KEY_B, text: reviewTexts[1] }) });
      await t.request('POST', '/v1/reviews', { secret: bob, body: review({ requester: KEY_A, text: 'Fine.' }) });
      await t.request('POST', '/v1/review-flags', { secret: carol, body: { reviewId: a1.json.review.id, reason: 'other', note: 'this looks like the requester wrote it' } });
      await t.request('POST', '/v1/suspension-reports', {
        secret: bob,
        body: { requester: KEY_A, requesterName: 'Acme', suspendedOn: '2026-05-01', note: 'private note for moderators', tasks: [{ taskId: 'T9', taskTitle: 'Survey' }] },
      });
      // Two more established accounts name the same task (one under another requester's report):
      // an incident opens and the task group is replicated as "under investigation".
      for (const [i, secret] of [alice, carol].entries()) {
        const res = await t.request('POST', '/v1/suspension-reports', {
          secret,
          body: {
            tasks: [{ requester: KEY_A, requesterName: 'Acme', taskId: 'T9', taskTitle: 'Survey' }, ...(i ? [{ requester: KEY_B, requesterName: 'Beta', taskId: 'B7', taskTitle: 'Other' }] : [])],
            suspendedOn: '2025-01-15', // a Wednesday: stored as Monday 2025-01-13
            note: `second private note ${i}`,
          },
        });
        reportIds.push(res.json.id);
      }
      await t.request('POST', '/v1/requester-flags', { secret: carol, body: { requester: KEY_B, requesterName: 'Beta', reason: 'phishing' } });
      await t.request('GET', '/v1/sync/snapshot');
      await t.request('GET', '/v1/buckets?prefix=');
      await t.request('GET', '/v1/account/reviews', { secret: alice });
      await t.request('POST', '/v1/reviews', { secret: alice, body: '{"broken json' });
    });
    afterAll(() => t?.close());

    it('stores neither the client address nor any account secret in any table', async () => {
      const tables = await t.db.dumpTables();
      expect(Object.keys(tables)).toContain('reviews');
      const everything = JSON.stringify(tables);
      expect(everything).toContain('The timer was far too short');
      for (const form of ADDRESS_FORMS) expect(everything).not.toContain(form);
      for (const secret of secrets) expect(everything).not.toContain(secret);
    });

    it('logs one line per request without addresses, secrets, headers or bodies', async () => {
      expect(t.logs.length).toBeGreaterThan(10);
      const logs = t.logs.join('');
      for (const form of ADDRESS_FORMS) expect(logs).not.toContain(form);
      for (const secret of secrets) expect(logs).not.toContain(secret);
      for (const text of [...reviewTexts, 'private note', 'broken json', 'Bearer', 'authorization', 'idempotency']) {
        expect(logs.toLowerCase()).not.toContain(text.toLowerCase());
      }
      expect(logs).toContain('"route":"/v1/reviews"');
    });

    it('keeps suspension reports out of the export and the sync feed: only counts and suspect task groups', async () => {
      const tables = await t.db.dumpTables();
      const ids = new Set([...reportIds, ...tables.suspension_reports!.flatMap((row) => [JSON.parse(row).id as string, JSON.parse(row).report_id as string])]);
      expect(ids.size).toBeGreaterThanOrEqual(3);
      const version = (await t.request('GET', '/v1/health')).json.version as string;
      const bodies = {
        export: gunzipSync((await t.request('GET', '/v1/export')).raw).toString(),
        snapshot: (await t.request('GET', '/v1/sync/snapshot', { headers: { 'accept-encoding': 'identity' } })).text,
        changes: (await t.request('GET', `/v1/sync/changes?since=${version.split('.')[0]}.0`)).text,
      };
      for (const [name, body] of Object.entries(bodies)) {
        expect(body, name).toContain('"T9"');
        expect(body, name).not.toContain('private note');
        // Neither the day given nor the Monday the server keeps reaches anyone.
        expect(body, name).not.toContain('2025-01-15');
        expect(body, name).not.toContain('2025-01-13');
        for (const id of ids) expect(body, name).not.toContain(id);
      }
      const snapshot = JSON.parse(bodies.snapshot) as { rows: unknown[][] };
      expect(snapshot.rows.find((r) => r[0] === KEY_A)?.[8]).toEqual([['T9', 1, 3, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]]);
    });

    it('exports no account id, and gives one author different pseudonyms per requester', async () => {
      const tables = await t.db.dumpTables();
      const accountIds = tables.accounts!.map((row) => JSON.parse(row).id as string);
      const exported = gunzipSync((await t.request('GET', '/v1/export')).raw).toString();
      expect(exported).toContain('Lovely requester');
      for (const id of accountIds) expect(exported).not.toContain(id);
      expect(exported).not.toContain('private note');

      const mine = (await t.request('GET', '/v1/account/reviews', { secret: secrets[0] })).json.reviews as { requester: string; author: string }[];
      const byRequester = new Map(mine.map((r) => [r.requester, r.author]));
      expect(byRequester.get(KEY_A)).toBeDefined();
      expect(byRequester.get(KEY_A)).not.toBe(byRequester.get(KEY_B));
      const bucket = (await t.request('GET', '/v1/buckets?prefix=')).json;
      const authors = bucket.requesters.flatMap((r: { reviews: { author: string }[] }) => r.reviews.map((x) => x.author));
      for (const id of accountIds) expect(JSON.stringify(bucket)).not.toContain(id);
      expect(new Set(authors).size).toBe(authors.length);
    });
  });
}
