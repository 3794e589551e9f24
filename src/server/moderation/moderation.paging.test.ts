/**
 * 10,000 flagged reviews (seeded in bulk with SQL): the queue pages on the server, each
 * page of 50 answers fast, every item is seen once, and the counts are right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../http/guards.js';
import { review } from '../testing/builders.js';
import { testBackends } from '../testing/databases.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import type { SqlDriver } from '../storage/driver.js';
import { openPostgresDriver } from '../storage/postgres-driver.js';
import { openSqliteDriver } from '../storage/sqlite-driver.js';
import { runModeratorCommand } from './roles-cli.js';

const N = 10_000;
const BODY = JSON.stringify(review({ taskId: 'SEEDED', text: 'Seeded review text for the paging test.' }));

/** Portable bulk insert: a recursive series, 100 requesters, one author, one flagger per review. */
async function seed(driver: SqlDriver, now: number): Promise<void> {
  const series = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})`;
  await driver.write(async (tx) => {
    await tx.run(`INSERT INTO accounts (id, secret_hash, created_at) VALUES ('seed-author', 'seed-author-hash', ?), ('seed-flagger', 'seed-flagger-hash', ?)`, [
      now - 30 * 86_400_000,
      now - 30 * 86_400_000,
    ]);
    await tx.run(
      `INSERT INTO requesters (key, name, bucket, seq, row_json, row_digest, updated_at)
       ${series.replace(`< ${N}`, '< 100')} SELECT 'mturk:ASEED' || (1000000 + i), 'Seeded requester ' || i, 'ffff' || i, 0, '', 0, ? FROM n`,
      [now],
    );
    await tx.run(
      `INSERT INTO reviews (id, account_id, requester_key, task_id, author_pseudonym, body_json, created_at, author_young, status)
       ${series} SELECT 'seed' || i, 'seed-author', 'mturk:ASEED' || (1000000 + (i % 100) + 1), 'T' || i, 'pseudo', ?, CAST(? AS BIGINT) + i, 0, 'visible' FROM n`,
      [BODY, now],
    );
    await tx.run(
      `INSERT INTO review_flags (id, review_id, account_id, reason, note, created_at)
       ${series} SELECT 'flag' || i, 'seed' || i, 'seed-flagger', 'inconsistent', '', CAST(? AS BIGINT) + i FROM n`,
      [now],
    );
  });
  // As autovacuum would soon after a bulk load: planner statistics for the new rows.
  if (driver.dialect === 'postgres') await driver.write((tx) => tx.run('ANALYZE'));
}

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`a 10,000-item queue on ${backend}`, () => {
    let t: TestServer;
    let moderator: string;

    beforeAll(async () => {
      t = await startTestServer(backend);
      moderator = await t.account();
      const database = t.db.options.schema ? `${t.db.database}?schema=${t.db.options.schema}` : t.db.database;
      const quiet = { out: () => undefined, err: () => undefined };
      expect(await runModeratorCommand(['grant', '--role', 'moderator', '--account', sha256Hex(moderator), '--database', database], quiet)).toBe(0);
      const driver = backend === 'sqlite' ? openSqliteDriver(t.db.database) : openPostgresDriver(t.db.database, { schema: t.db.options.schema! });
      const started = performance.now();
      try {
        await seed(driver, Date.now());
      } finally {
        await driver.close();
      }
      console.log(`${backend}: seeded ${N} flagged reviews in ${Math.round(performance.now() - started)} ms`);
    }, 60_000);
    afterAll(() => t?.close());

    it('pages through all of it, 50 at a time, each page fast, every item once', async () => {
      const counts = await t.request('GET', '/v1/moderation/counts', { secret: moderator });
      expect(counts.json.flagged).toBe(N);
      const seen = new Set<string>();
      const times: number[] = [];
      let page = 1;
      for (;;) {
        const started = performance.now();
        const res = await t.request('GET', `/v1/moderation/queues/flagged?page=${page}&perPage=50`, { secret: moderator });
        times.push(performance.now() - started);
        expect(res.status).toBe(200);
        expect(res.json.total).toBe(N);
        for (const item of res.json.items) seen.add(item.review.id);
        if (res.json.items.length < 50) break;
        page += 1;
      }
      expect(seen.size).toBe(N);
      times.sort((a, b) => a - b);
      const p50 = times[Math.floor(times.length / 2)]!;
      const max = times.at(-1)!;
      console.log(`${backend}: ${page} pages of 50 from a ${N}-item queue: p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
      // Pages deep in the queue cost about what the first ones do (no page rereads the whole
      // queue): a ratio within the run, which holds on a loaded machine where absolute times don't.
      const p90 = times[Math.floor(times.length * 0.9)]!;
      expect(p90).toBeLessThan(10 * p50 + 50);
      const filtered = await t.request('GET', `/v1/moderation/queues/flagged?requester=${encodeURIComponent('mturk:ASEED1000001')}&perPage=10`, { secret: moderator });
      expect(filtered.json.total).toBe(N / 100);
      const last = await t.request('GET', `/v1/moderation/queues/flagged?page=${N / 50}&perPage=50`, { secret: moderator });
      expect(last.json.items).toHaveLength(50);
    }, 120_000);
  });
}
