/**
 * Bucket reads (review texts by hash prefix) on SQLite and PostgreSQL: per requester, the
 * newest visible reviews up to the limit, newest first, and the count of all visible ones.
 * The query stops at each requester's limit (views.ts `bucketReviews`); this pins what it
 * must still return.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_A, KEY_B, T0, ctx, makeAccount, review } from '../testing/builders.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/databases.js';
import { openStorage } from './sql-storage.js';
import type { Storage } from './storage.js';

const bucketOf = (key: string) => createHash('sha256').update(key).digest('hex');

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`bucket reads on ${backend}`, () => {
    let db: TestDatabase;
    let storage: Storage;

    beforeEach(async () => {
      db = await createTestDatabase(backend);
      storage = await openStorage(db.database, { ...db.options, now: () => T0 + 60_000 });
    });
    afterEach(async () => {
      await storage.close();
      await db.drop();
    });

    it('returns each requester’s newest visible reviews up to the limit, newest first, and counts them all', async () => {
      const author = await makeAccount(storage, T0);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const written = await storage.createReview(ctx(author, T0 + i * 1000), review({ requester: KEY_A, text: `A${i}` }));
        ids.push((written.body as { review: { id: string } }).review.id);
      }
      // The newest one withdrawn: it leaves the bucket and the count.
      await storage.deleteReview(ctx(author, T0 + 7000), ids[5]!);
      for (let i = 0; i < 4; i++) await storage.createReview(ctx(author, T0 + i * 1000), review({ requester: KEY_B, text: `B${i}` }));

      const both = await storage.bucket('', 3);
      const a = both.find((r) => r.key === KEY_A)!;
      const b = both.find((r) => r.key === KEY_B)!;
      expect(a.totalVisible).toBe(5);
      expect(a.reviews.map((r) => r.text)).toEqual(['A4', 'A3', 'A2']);
      expect(b.totalVisible).toBe(4);
      expect(b.reviews.map((r) => r.text)).toEqual(['B3', 'B2', 'B1']);

      // A prefix names only the requesters under it.
      const prefix = bucketOf(KEY_A).slice(0, 2);
      const under = await storage.bucket(prefix, 50);
      expect(under.map((r) => r.key)).toContain(KEY_A);
      expect(under.every((r) => bucketOf(r.key).startsWith(prefix))).toBe(true);
      expect(under.find((r) => r.key === KEY_A)!.reviews.map((r) => r.text)).toEqual(['A4', 'A3', 'A2', 'A1', 'A0']);
    });
  });
}
