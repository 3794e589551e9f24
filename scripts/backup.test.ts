/**
 * The backup docs/deploy.md tells operators to take: an online SQLite backup while clients
 * write, restored by starting a server on the copy. The copy holds a consistent state: every
 * review acknowledged before the backup began, and a sync feed whose checksum matches its rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../src/core/rules.js';
import { checksumOf, decodeSummary, DeltaBody, SnapshotBody } from '../src/core/sync-protocol.js';
import { startServer } from '../src/server/index.js';
import { review } from '../src/server/testing/builders.js';
import { startTestServer } from '../src/server/testing/harness.js';
import { backupSqlite } from './backup.js';

const dir = mkdtempSync(join(tmpdir(), 'lantern-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('backs up SQLite while writes go on; a server started on the copy has every review acknowledged before, and a consistent feed', async () => {
  const live = await startTestServer('sqlite', { logLevel: 'warn' });
  const secret = await live.account();
  const post = (n: number) => live.request('POST', '/v1/reviews', { secret, body: review({ taskId: `B${n}`, requester: `mturk:A${String(n % 7).padStart(2, '0')}BACKUPTEST` }) });
  for (let n = 0; n < 40; n++) expect((await post(n)).status).toBe(201);

  // Writes keep coming while the backup copies.
  let stop = false;
  let during = 0;
  const writer = (async () => {
    for (let n = 1000; !stop; n++) if ((await post(n)).status === 201) during++;
  })();
  const copy = join(dir, 'copy.sqlite');
  const { pages } = await backupSqlite(live.db.database, copy);
  stop = true;
  await writer;
  console.log(`[backup] ${pages} pages copied while ${during} reviews were acknowledged during the copy`);
  expect(pages).toBeGreaterThan(0);
  await expect(backupSqlite(live.db.database, copy)).rejects.toThrow(/exists already/);
  await live.close();

  const restored = await startServer({ host: '127.0.0.1', port: 0, database: copy, logLevel: 'warn', rateLimits: false });
  try {
    const snapshot = SnapshotBody.parse(await (await fetch(`${restored.url}/v1/sync/snapshot`)).json());
    const reviews = snapshot.rows.reduce((sum, row) => sum + decodeSummary(row, DEFAULT_RULES).allTime.reviews, 0);
    // Everything acknowledged before the backup began; at most what was written during it.
    expect(reviews).toBeGreaterThanOrEqual(40);
    expect(reviews).toBeLessThanOrEqual(40 + during);
    expect(snapshot.checksum).toEqual(checksumOf(snapshot.rows));
    const delta = DeltaBody.parse(await (await fetch(`${restored.url}/v1/sync/changes?since=${snapshot.version.split('.')[0]}.0&limit=5000`)).json());
    expect(delta.checksum).toEqual(checksumOf(delta.rows));
  } finally {
    await restored.close();
  }
}, 60_000);
