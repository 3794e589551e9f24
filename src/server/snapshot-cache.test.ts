/**
 * The snapshot cache after an invalidation (issue 14 review): a request arriving after
 * `invalidate()` must not be handed a build that began before it — that build may have
 * read the database before the change the invalidation announces. Real SQLite storage; the
 * first build's read is held at a gate so the interleaving is certain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KEY_B, T0, ctx, makeAccount, review } from './testing/builders.js';
import { openStorage } from './storage/sql-storage.js';
import type { Storage } from './storage/storage.js';
import { SnapshotCache } from './sync/snapshot-cache.js';

describe('snapshot cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-snapshot-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a request after invalidate() does not join a build that began before it', async () => {
    const storage = await openStorage(join(dir, 'db', 'lantern.sqlite'), { now: () => T0 });
    try {
      const author = await makeAccount(storage, T0);
      await storage.createReview(ctx(author, T0), review({}));
      // The first build reads the database, then waits at the gate before encoding.
      let openGate!: () => void;
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      let reads = 0;
      const gated: Storage = Object.create(storage, {
        snapshot: {
          value: async () => {
            const read = await storage.snapshot();
            if ((reads += 1) === 1) await gate;
            return read;
          },
        },
      }) as Storage;
      const cache = new SnapshotCache(gated, 60_000, () => T0);
      const first = cache.get();
      while (reads === 0) await new Promise((r) => setImmediate(r));

      // A write lands, and its notice invalidates the cache, while the first build is still out.
      await storage.createReview(ctx(await makeAccount(storage, T0), T0), review({ requester: KEY_B, requesterName: 'Beta' }));
      const seqAfterWrite = (await storage.syncHead()).seq;
      cache.invalidate();
      const second = cache.get();
      openGate();

      expect((await first).seq).toBeLessThan(seqAfterWrite);
      expect((await second).seq).toBe(seqAfterWrite);
      // And later requests get the newer bytes too, not the late-finishing older build.
      expect((await cache.get()).seq).toBe(seqAfterWrite);
    } finally {
      await storage.close();
    }
  });
});
