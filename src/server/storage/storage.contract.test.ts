/**
 * The storage contract: every test runs on a real SQLite file and on a real Postgres
 * schema, through the one Storage interface.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncodedSummary, checksumOf } from '../../core/sync-protocol.js';
import { DAY, KEY_A, KEY_B, T0, ctx, makeAccount, review, summaryOf } from '../testing/builders.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/databases.js';
import { migrate } from './migrate.js';
import { openPostgresDriver } from './postgres-driver.js';
import { openStorage } from './sql-storage.js';
import { openSqliteDriver } from './sqlite-driver.js';
import { DomainError } from './errors.js';
import type { Storage } from './storage.js';

async function checksumFromRows(storage: Storage) {
  const { head, rows } = await storage.snapshot();
  return { head: head.checksum, computed: checksumOf(rows.map((r) => EncodedSummary.parse(JSON.parse(r)))) };
}

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`storage contract on ${backend}`, () => {
    let db: TestDatabase;
    let storage: Storage;
    const open = () => openStorage(db.database, { ...db.options, now: () => T0 });

    beforeEach(async () => {
      db = await createTestDatabase(backend);
      storage = await open();
    });
    afterEach(async () => {
      await storage.close();
      await db.drop();
    });

    it('applies migrations once, and refuses a database newer than the code', async () => {
      const driver = backend === 'sqlite' ? openSqliteDriver(db.database) : openPostgresDriver(db.database, { schema: db.options.schema! });
      try {
        expect(await migrate(driver)).toEqual([]);
        await expect(migrate(driver, [])).rejects.toThrow(/newer than this server/);
      } finally {
        await driver.close();
      }
      expect(storage.rules().version).toBe(1);
      expect(await storage.rulesVersion(1)).toEqual(storage.rules());
    });

    it('creates accounts and finds them only by the hash of their secret', async () => {
      const account = await storage.createAccount('hash-of-secret', T0);
      expect(await storage.accountBySecretHash('hash-of-secret')).toEqual(account);
      expect(await storage.accountBySecretHash('other')).toBeNull();
    });

    it('updates the summary, sequence and checksum in the same write', async () => {
      const author = await makeAccount(storage, T0);
      const before = await storage.syncHead();
      const written = await storage.createReview(ctx(author, T0), review({ minutes: 10, reward: { cents: 100, currency: 'USD' } }));
      expect(written.status).toBe(201);
      await storage.createReview(ctx(author, T0), review({ minutes: 50, reward: { cents: 200, currency: 'USD' }, finished: true }));
      await storage.createReview(ctx(author, T0), review({ minutes: 60, reward: { cents: 1, currency: 'USD' }, finished: false }));
      const head = await storage.syncHead();
      expect(head.seq).toBe(before.seq + 3);
      const summary = await summaryOf(storage, KEY_A);
      // Ratio of sums over finished tasks: (100 + 200) cents / 60 minutes = 300 cents/h.
      expect(summary?.allTime.hourly).toEqual({ currency: 'USD', centsPerHour: 300, tasks: 2, otherCurrencyTasks: 0 });
      expect(summary?.allTime.reviews).toBe(3);
      const sums = await checksumFromRows(storage);
      expect(sums.head).toEqual(sums.computed);
      expect(sums.head.rows).toBe(1);
    });

    it('replays a retried write without a second row, and refuses a reused key for another request', async () => {
      const author = await makeAccount(storage, T0);
      const c = ctx(author, T0);
      const body = review();
      const first = await storage.createReview(c, body);
      const retry = await storage.createReview(c, body);
      expect(retry).toEqual({ ...first, replayed: true });
      expect((await storage.ownReviews(author.id)).length).toBe(1);
      const misuse = storage.createReview({ ...c, requestHash: 'different' }, review());
      await expect(misuse).rejects.toMatchObject({ status: 422, field: 'Idempotency-Key' });
    });

    it('keeps one review per account and task; edits, withdraws and revives it', async () => {
      const author = await makeAccount(storage, T0);
      const first = await storage.createReview(ctx(author, T0), review({ taskId: 'TASK1', ratings: { pay: 1, fairness: 1, speed: 1, communication: 1 } }));
      const id = (first.body as { review: { id: string } }).review.id;
      await expect(storage.createReview(ctx(author, T0), review({ taskId: 'TASK1' }))).rejects.toMatchObject({ status: 409 });
      await storage.updateReview(ctx(author, T0 + 1000), id, review({ taskId: 'TASK1', ratings: { pay: 5, fairness: 5, speed: 5, communication: 5 } }));
      expect((await summaryOf(storage, KEY_A))?.allTime.ratings.pay.raw).toBe(5);
      await expect(storage.updateReview(ctx(author, T0), id, review({ taskId: 'TASK2' }))).rejects.toMatchObject({ field: 'taskId' });

      const stranger = await makeAccount(storage, T0);
      await expect(storage.deleteReview(ctx(stranger, T0), id)).rejects.toMatchObject({ status: 404 });
      await storage.deleteReview(ctx(author, T0), id);
      expect((await summaryOf(storage, KEY_A))?.allTime.reviews).toBe(0);
      expect(await storage.ownReviews(author.id)).toEqual([]);
      const revived = await storage.createReview(ctx(author, T0), review({ taskId: 'TASK1' }));
      expect((revived.body as { review: { id: string } }).review.id).toBe(id);
      expect((await summaryOf(storage, KEY_A))?.allTime.reviews).toBe(1);
    });

    it('holds a review once three distinct accounts flag it, and drops it from every aggregate', async () => {
      const author = await makeAccount(storage, T0);
      const written = await storage.createReview(ctx(author, T0), review());
      const reviewId = (written.body as { review: { id: string } }).review.id;
      await expect(storage.flagReview(ctx(author, T0), { reviewId, reason: 'insults', note: '' })).rejects.toMatchObject({ status: 400 });
      for (let i = 0; i < 3; i++) {
        const flagger = await makeAccount(storage, T0);
        const flagged = await storage.flagReview(ctx(flagger, T0), { reviewId, reason: 'insults', note: '' });
        expect(flagged.status).toBe(201);
        if (i === 0) expect((await storage.flagReview(ctx(flagger, T0), { reviewId, reason: 'threats', note: '' })).body).toMatchObject({ created: false });
      }
      const summary = await summaryOf(storage, KEY_A);
      expect(summary?.allTime.reviews).toBe(0);
      expect(summary?.held).toBe(1);
      expect((await storage.ownReviews(author.id))[0]).toMatchObject({ status: 'held', statusReason: 'flags' });
      expect((await storage.bucket('', 50))[0]?.reviews).toEqual([]);
    });

    it('holds a brigade: three young accounts reviewing one requester within 24 hours', async () => {
      const old = await makeAccount(storage, T0, 30);
      await storage.createReview(ctx(old, T0), review());
      const young = [await makeAccount(storage, T0, 1), await makeAccount(storage, T0, 2)];
      await storage.createReview(ctx(young[0]!, T0), review());
      await storage.createReview(ctx(young[1]!, T0 + 3_600_000), review());
      expect((await summaryOf(storage, KEY_A))?.allTime.reviews).toBe(3);
      const third = await makeAccount(storage, T0, 0);
      await storage.createReview(ctx(third, T0 + 7_200_000), review());
      const summary = await summaryOf(storage, KEY_A);
      expect(summary?.allTime.reviews).toBe(1);
      expect(summary?.held).toBe(3);
      // A young account on another requester is unaffected.
      await storage.createReview(ctx(third, T0 + 7_200_000), review({ requester: KEY_B }));
      expect((await summaryOf(storage, KEY_B))?.allTime.reviews).toBe(1);
    });

    it('counts suspension reports and phishing flags from established accounts only, within the window', async () => {
      const report = { requester: KEY_A, requesterName: 'Acme Labs', tasks: [], suspendedOn: '2026-05-30', reinstated: false, note: '' };
      for (let i = 0; i < 3; i++) {
        await storage.reportSuspension(ctx(await makeAccount(storage, T0, 30), T0), report);
        await storage.flagRequester(ctx(await makeAccount(storage, T0, 30), T0), { requester: KEY_A, requesterName: 'Acme Labs', reason: 'phishing', note: '' });
      }
      const newcomer = await makeAccount(storage, T0, 2);
      await storage.reportSuspension(ctx(newcomer, T0), report);
      const again = await storage.reportSuspension(ctx(newcomer, T0), { ...report, reinstated: true });
      expect(again.body).toMatchObject({ created: false });
      let summary = await summaryOf(storage, KEY_A);
      expect(summary?.suspensions).toEqual({ accounts: 3, since: '2026-06-01', confirmed: false });
      expect(summary?.issues.phishing).toBe(3);

      // 61 days later the reports leave the danger window: only the aging job notices.
      expect(await storage.ageWindows(T0 + 30 * DAY)).toBe(0);
      expect(await storage.ageWindows(T0 + 61 * DAY)).toBe(1);
      summary = await summaryOf(storage, KEY_A);
      expect(summary?.suspensions.accounts).toBe(0);
      expect(summary?.issues.phishing).toBe(3);
    });

    it('ages reviews out of the 90-day window, recomputing only the requesters that crossed it', async () => {
      const author = await makeAccount(storage, T0);
      await storage.createReview(ctx(author, T0), review());
      await storage.createReview(ctx(author, T0 + 50 * DAY), review({ requester: KEY_B }));
      expect(await storage.ageWindows(T0 + 91 * DAY)).toBe(1);
      expect((await summaryOf(storage, KEY_A))?.recent.reviews).toBe(0);
      expect((await summaryOf(storage, KEY_A))?.allTime.reviews).toBe(1);
      expect((await summaryOf(storage, KEY_B))?.recent.reviews).toBe(1);
      const sums = await checksumFromRows(storage);
      expect(sums.head).toEqual(sums.computed);
    });

    it('pages changes since a version, and the last page carries the checksum of the whole state', async () => {
      const author = await makeAccount(storage, T0);
      const start = await storage.syncHead();
      const keys = Array.from({ length: 7 }, (_, i) => `mturk:A${String(i).padStart(12, '0')}`);
      for (const key of keys) await storage.createReview(ctx(author, T0), review({ requester: key }));
      await storage.createReview(ctx(author, T0), review({ requester: keys[0]! }));
      const seen = new Map<string, string>();
      let since = start.seq;
      let page;
      let pages = 0;
      do {
        page = await storage.changesSince(since, 3);
        for (const row of page.rows) seen.set(JSON.parse(row)[0], row);
        since = page.through;
        pages += 1;
      } while (page.more);
      expect(pages).toBe(3);
      expect(since).toBe(page.head.seq);
      expect(seen.size).toBe(7);
      expect(checksumOf([...seen.values()].map((r) => EncodedSummary.parse(JSON.parse(r))))).toEqual(page.head.checksum);
      expect((await storage.changesSince(page.head.seq, 3)).rows).toEqual([]);
    });

    it('serves review buckets with per-requester pseudonyms, and exports no account ids', async () => {
      const author = await makeAccount(storage, T0);
      await storage.createReview(ctx(author, T0), review({ requester: KEY_A, text: 'about A' }));
      await storage.createReview(ctx(author, T0), review({ requester: KEY_B, text: 'about B' }));
      const all = await storage.bucket('', 50);
      expect(all.map((r) => r.key).sort()).toEqual([KEY_A, KEY_B].sort());
      const authors = all.map((r) => r.reviews[0]!.author);
      expect(authors[0]).not.toBe(authors[1]);
      const { createHash } = await import('node:crypto');
      const prefix = createHash('sha256').update(KEY_A).digest('hex').slice(0, 2);
      expect((await storage.bucket(prefix, 50)).map((r) => r.key)).toContain(KEY_A);
      const exported: string[] = [];
      for await (const chunk of storage.exportChunks()) exported.push(JSON.stringify(chunk));
      expect(exported.join('')).toContain('about B');
      expect(exported.join('')).not.toContain(author.id);
    });

    it('keeps summaries exact under concurrent writes to one requester', async () => {
      const authors = await Promise.all(Array.from({ length: 12 }, () => makeAccount(storage, T0)));
      await Promise.all(authors.map((a) => storage.createReview(ctx(a, T0), review())));
      expect((await summaryOf(storage, KEY_A))?.allTime.reviews).toBe(12);
      const sums = await checksumFromRows(storage);
      expect(sums.head).toEqual(sums.computed);
    });

    it('leaves nothing behind when a write is refused', async () => {
      const author = await makeAccount(storage, T0);
      const before = await db.dumpTables();
      const c = ctx(author, T0);
      await expect(storage.flagReview(c, { reviewId: 'nope', reason: 'insults', note: '' })).rejects.toBeInstanceOf(DomainError);
      expect(await db.dumpTables()).toEqual(before);
      // The key was not consumed: a correct retry under it works.
      const written = await storage.createReview(c, review());
      expect(written.status).toBe(201);
    });

    it('prunes old idempotency records only', async () => {
      const author = await makeAccount(storage, T0);
      await storage.createReview(ctx(author, T0 - 10 * DAY), review());
      await storage.createReview(ctx(author, T0), review());
      expect(await storage.pruneIdempotency(T0 - DAY)).toBe(1);
    });
  });
}
