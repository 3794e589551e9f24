/** The HTTP API end to end, on a real server over loopback, on both backends. */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../core/rules.js';
import { AccountCreated, DeltaBody, EncodedSummary, OwnSuspensionReports, SnapshotBody, checksumOf, rowDigest, updateChecksum } from '../core/sync-protocol.js';
import { KEY_A, KEY_B, review } from './testing/builders.js';
import { testBackends } from './testing/databases.js';
import { startTestServer, type TestServer } from './testing/harness.js';

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`API on ${backend}`, () => {
    let t: TestServer;
    let secret: string;
    beforeAll(async () => {
      t = await startTestServer(backend);
      secret = await t.account();
    });
    afterAll(() => t?.close());

    it('serves health and the published rules', async () => {
      expect((await t.request('GET', '/v1/health')).json).toMatchObject({ status: 'ok' });
      expect((await t.request('GET', '/v1/rules')).json).toEqual(DEFAULT_RULES);
      expect((await t.request('GET', '/v1/rules/1')).json).toEqual(DEFAULT_RULES);
      expect((await t.request('GET', '/v1/rules/9')).status).toBe(404);
      expect((await t.request('GET', '/v1/rules/x')).json).toMatchObject({ field: 'version' });
      expect((await t.request('GET', '/v1/nothing-here')).status).toBe(404);
    });

    it('creates an account with a secret shown once', async () => {
      const res = await t.request('POST', '/v1/accounts');
      expect(res.status).toBe(201);
      expect(AccountCreated.safeParse(res.json).success).toBe(true);
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await t.request('POST', '/v1/accounts', { body: { email: 'x@y.z' } })).status).toBe(400);
    });

    it('requires an account and an idempotency key for writes', async () => {
      const noAuth = await t.request('POST', '/v1/reviews', { body: review() });
      expect(noAuth).toMatchObject({ status: 401, json: { field: 'Authorization' } });
      const wrongSecret = await t.request('POST', '/v1/reviews', { body: review(), secret: 'A'.repeat(43) });
      expect(wrongSecret.status).toBe(401);
      const noKey = await t.request('POST', '/v1/reviews', { body: review(), secret, idempotencyKey: null });
      expect(noKey).toMatchObject({ status: 400, json: { field: 'Idempotency-Key' } });
    });

    it('creates, replays, edits and deletes a review', async () => {
      const body = review({ taskId: 'APITASK1' });
      const created = await t.request('POST', '/v1/reviews', { body, secret, idempotencyKey: 'retry-me-0001' });
      expect(created.status).toBe(201);
      const retried = await t.request('POST', '/v1/reviews', { body, secret, idempotencyKey: 'retry-me-0001' });
      expect(retried.status).toBe(201);
      expect(retried.json).toEqual(created.json);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      const reused = await t.request('POST', '/v1/reviews', { body: review(), secret, idempotencyKey: 'retry-me-0001' });
      expect(reused).toMatchObject({ status: 422, json: { field: 'Idempotency-Key' } });
      const mine = await t.request('GET', '/v1/account/reviews', { secret });
      expect(mine.json.reviews.filter((r: { taskId: string }) => r.taskId === 'APITASK1')).toHaveLength(1);

      const id = created.json.review.id as string;
      const edited = await t.request('PUT', `/v1/reviews/${id}`, { body: { ...body, text: 'Edited text' }, secret });
      expect(edited).toMatchObject({ status: 200, json: { review: { text: 'Edited text' } } });
      expect((await t.request('POST', '/v1/reviews', { body, secret })).status).toBe(409);
      const other = await t.account();
      expect((await t.request('DELETE', `/v1/reviews/${id}`, { secret: other })).status).toBe(404);
      expect((await t.request('DELETE', `/v1/reviews/${id}`, { secret })).json).toEqual({ deleted: id });
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ ...review(), ratings: { pay: 7, fairness: 1, speed: 1, communication: 1 } }, 'ratings.pay'],
        [{ ...review(), requester: 'mturk:worker' }, 'requester'],
        [{ ...review(), text: 'x'.repeat(2001) }, 'text'],
        // Issue 12: a review must say something (a rating, or REVIEW_MIN_TEXT characters).
        [{ ...review(), ratings: { pay: null, fairness: null, speed: null, communication: null }, text: '  Too short.  ' }, 'text'],
        [{ ...review(), reward: { cents: '100', currency: 'USD' } }, 'reward.cents'],
        [{ ...review(), extra: 1 }, '(body)'],
        [[1, 2], '(body)'],
        ['{"requester": ', '(body)'],
      ];
      for (const [body, field] of cases) {
        const res = await t.request('POST', '/v1/reviews', { body, secret });
        expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(res.json.field).toBe(field);
        expect(res.json.error).toMatch(/invalid/);
      }
      const flag = await t.request('POST', '/v1/review-flags', { body: { reviewId: 'abc', reason: 'other', note: 'too short' }, secret });
      expect(flag).toMatchObject({ status: 400, json: { field: 'note' } });
      const huge = await t.request('POST', '/v1/reviews', { body: JSON.stringify({ ...review(), text: 'y'.repeat(40_000) }), secret });
      expect(huge.status).toBe(413);
      const asText = await t.request('POST', '/v1/reviews', { body: 'hello', headers: { 'content-type': 'text/plain' }, secret });
      expect(asText.status).toBe(415);
    });

    it('records suspension reports and flags once per account', async () => {
      const report = { requester: KEY_B, requesterName: 'Beta', suspendedOn: '2026-01-02', tasks: [{ taskId: 'T1', taskTitle: 'A task' }] };
      expect((await t.request('POST', '/v1/suspension-reports', { body: report, secret })).status).toBe(201);
      expect((await t.request('POST', '/v1/suspension-reports', { body: report, secret })).json).toMatchObject({ created: false });
      const flag = { requester: KEY_B, requesterName: 'Beta', reason: 'broken' };
      expect((await t.request('POST', '/v1/requester-flags', { body: flag, secret })).status).toBe(201);
      expect((await t.request('POST', '/v1/requester-flags', { body: flag, secret })).json).toMatchObject({ created: false });
      expect((await t.request('POST', '/v1/review-flags', { body: { reviewId: 'missing', reason: 'insults' }, secret })).status).toBe(404);
    });

    it('files a suspension report across requesters, lists, replaces and withdraws it; others get 404', async () => {
      const author = await t.account();
      const body = {
        tasks: [
          { requester: KEY_A, requesterName: 'Acme', taskId: 'SUSP1', taskTitle: 'Survey one' },
          { requester: KEY_B, requesterName: 'Beta', taskId: 'SUSP2', taskTitle: 'Survey two' },
        ],
        requesters: [{ requester: 'mturk:A3TYPEDBYHAND', requesterName: 'Typed' }],
        suspendedOn: '2026-06-03',
        note: 'only for moderators',
      };
      const created = await t.request('POST', '/v1/suspension-reports', { body, secret: author });
      expect(created).toMatchObject({ status: 201, json: { created: true } });
      const id = created.json.id as string;
      const mine = await t.request('GET', '/v1/suspension-reports/mine', { secret: author });
      expect(mine.headers['cache-control']).toBe('no-store');
      expect(OwnSuspensionReports.parse(mine.json).reports).toMatchObject([
        { id, suspendedWeek: '2026-06-01', status: 'open', reinstated: false, tasks: [{ requester: KEY_A, taskId: 'SUSP1' }, { requester: KEY_B, taskId: 'SUSP2' }] },
      ]);
      expect(mine.json.reports[0].requesters.map((r: { requester: string }) => r.requester).sort()).toEqual([KEY_A, KEY_B, 'mturk:A3TYPEDBYHAND'].sort());
      // Its author gets their own note back (so an edit keeps it); nobody else sees the report at all.
      expect(mine.json.reports[0].note).toBe('only for moderators');

      const other = await t.account();
      expect((await t.request('GET', '/v1/suspension-reports/mine', { secret: other })).json).toEqual({ reports: [] });
      expect((await t.request('GET', '/v1/suspension-reports/mine')).status).toBe(401);
      expect((await t.request('PUT', `/v1/suspension-reports/${id}`, { body, secret: other })).status).toBe(404);
      expect((await t.request('DELETE', `/v1/suspension-reports/${id}`, { secret: other })).status).toBe(404);
      expect((await t.request('DELETE', `/v1/suspension-reports/no-such-report`, { secret: author })).status).toBe(404);

      const replaced = await t.request('PUT', `/v1/suspension-reports/${id}`, { body: { ...body, tasks: body.tasks.slice(0, 1), requesters: [], reinstated: true }, secret: author });
      expect(replaced).toMatchObject({ status: 200, json: { id, created: false } });
      const after = (await t.request('GET', '/v1/suspension-reports/mine', { secret: author })).json.reports;
      expect(after).toMatchObject([{ id, reinstated: true, requesters: [{ requester: KEY_A }] }]);

      const withdrawn = await t.request('DELETE', `/v1/suspension-reports/${id}`, { secret: author });
      expect(withdrawn).toMatchObject({ status: 200, json: { withdrawn: id } });
      expect((await t.request('GET', '/v1/suspension-reports/mine', { secret: author })).json).toEqual({ reports: [] });
      expect((await t.request('DELETE', `/v1/suspension-reports/${id}`, { secret: author })).status).toBe(404);
    });

    it('refuses a bad suspension report with a 400 naming the field', async () => {
      const good = { tasks: [{ requester: KEY_A, requesterName: 'Acme', taskId: 'T1', taskTitle: 'A task' }], suspendedOn: '2026-06-03' };
      const cases: [unknown, string][] = [
        [{ ...good, suspendedOn: '2026-13-45' }, 'suspendedOn'],
        [{ ...good, tasks: [] }, 'tasks'],
        [{ ...good, tasks: [{ taskId: 'T1', taskTitle: 'No requester' }] }, 'tasks'],
        [{ ...good, tasks: [{ ...good.tasks[0], requester: 'mturk:worker' }] }, 'tasks.0.requester'],
        [{ ...good, requesters: [{ requester: KEY_B }] }, 'requesters.0.requesterName'],
        [{ ...good, note: 'x'.repeat(2001) }, 'note'],
        [{ ...good, requester: KEY_A }, 'requesterName'],
        [{ ...good, extra: true }, '(body)'],
      ];
      for (const [body, field] of cases) {
        const res = await t.request('POST', '/v1/suspension-reports', { body, secret });
        expect(res.status, JSON.stringify(body).slice(0, 100)).toBe(400);
        expect(res.json.field, JSON.stringify(body).slice(0, 100)).toBe(field);
        const put = await t.request('PUT', '/v1/suspension-reports/abc', { body, secret });
        expect(put.json.field).toBe(field);
      }
      expect((await t.request('PUT', '/v1/suspension-reports/bad%20id', { body: good, secret })).json).toMatchObject({ field: 'id' });
      expect((await t.request('DELETE', '/v1/suspension-reports/abc', { body: {}, secret, headers: { 'content-length': '2' } })).json).toMatchObject({ field: '(body)' });
      expect((await t.request('GET', '/v1/suspension-reports/mine?x=1', { secret })).status).toBe(400);
    });

    it('syncs: one snapshot for everyone, 304 on its ETag, deltas that checksum to the server state', async () => {
      await t.request('POST', '/v1/reviews', { body: review({ requester: KEY_A }), secret });
      const first = await t.request('GET', '/v1/sync/snapshot', { headers: { 'accept-encoding': 'gzip' } });
      const second = await t.request('GET', '/v1/sync/snapshot', { headers: { 'accept-encoding': 'gzip' } });
      expect(first.headers['content-encoding']).toBe('gzip');
      expect(first.raw.equals(second.raw)).toBe(true);
      const etag = String(first.headers.etag);
      expect((await t.request('GET', '/v1/sync/snapshot', { headers: { 'if-none-match': etag } })).status).toBe(304);
      const snapshot = SnapshotBody.parse(JSON.parse(gunzipSync(first.raw).toString()));
      expect(checksumOf(snapshot.rows)).toEqual(snapshot.checksum);

      // A client holding the snapshot applies a delta row by row and lands on the server's checksum.
      await t.request('POST', '/v1/reviews', { body: review({ requester: KEY_A, ratings: { pay: 1, fairness: 1, speed: 1, communication: 1 } }), secret });
      await t.request('POST', '/v1/reviews', { body: review({ requester: 'mturk:A3NEWREQUESTER' }), secret });
      const replica = new Map(snapshot.rows.map((r) => [r[0], r]));
      let checksum = snapshot.checksum;
      const delta = DeltaBody.parse((await t.request('GET', `/v1/sync/changes?since=${snapshot.version}`)).json);
      expect(delta.rows).toHaveLength(2);
      for (const row of delta.rows) {
        const old = replica.get(row[0]);
        checksum = updateChecksum(checksum, old ? rowDigest(old) : null, rowDigest(row));
        replica.set(row[0], row);
      }
      expect(delta.more).toBe(false);
      expect(checksum).toEqual(delta.checksum);
      expect(delta.retryAfterSeconds).toBeGreaterThan(0);
      const after = await t.request('GET', '/v1/sync/snapshot', { headers: { 'accept-encoding': 'identity' } });
      expect(String(after.headers.etag)).not.toBe(etag);
      expect(SnapshotBody.parse(after.json).checksum).toEqual(checksum);
      expect((await t.request('GET', `/v1/sync/changes?since=${delta.version}`)).json.rows).toEqual([]);
    });

    it('refuses malformed, foreign and future version tokens, and unbounded pages', async () => {
      const head = (await t.request('GET', '/v1/health')).json.version as string;
      const [epoch, seq] = head.split('.');
      for (const since of ['garbage', `${epoch}.${Number(seq) + 5}`, `zzzzzz.1`, '']) {
        const res = await t.request('GET', `/v1/sync/changes?since=${since}`);
        expect(res.status, since).toBe(400);
        expect(res.json.field).toBe('since');
      }
      expect((await t.request('GET', '/v1/sync/changes')).json.field).toBe('since');
      expect((await t.request('GET', `/v1/sync/changes?since=${head}&limit=0`)).json.field).toBe('limit');
      expect((await t.request('GET', `/v1/sync/changes?since=${head}&limit=99999`)).json.field).toBe('limit');
      expect((await t.request('GET', `/v1/sync/changes?since=${head}&since=${head}`)).status).toBe(400);
      const paged = DeltaBody.parse((await t.request('GET', `/v1/sync/changes?since=${epoch}.0&limit=1`)).json);
      expect(paged).toMatchObject({ more: true, checksum: null, retryAfterSeconds: 0 });
      expect(EncodedSummary.safeParse(paged.rows[0]).success).toBe(true);
    });

    it('serves review buckets by prefix, never narrower than the database size allows', async () => {
      const bucket = await t.request('GET', '/v1/buckets?prefix=');
      expect(bucket.status).toBe(200);
      expect(bucket.json.bucketPrefixLength).toBe(0);
      expect(bucket.json.requesters.map((r: { key: string }) => r.key)).toContain(KEY_A);
      expect((await t.request('GET', '/v1/buckets?prefix=ab')).json).toMatchObject({ field: 'prefix' });
      expect((await t.request('GET', '/v1/buckets?prefix=XYZ')).json).toMatchObject({ field: 'prefix' });
    });

    it('publishes an export anyone can mirror', async () => {
      const res = await t.request('GET', '/v1/export');
      expect(res.headers['content-type']).toBe('application/gzip');
      const lines = gunzipSync(res.raw).toString().trim().split('\n').map((l) => JSON.parse(l));
      expect(lines[0]).toMatchObject({ type: 'meta', format: 1 });
      expect(lines.some((l) => l.type === 'summary' && l.summary.key === KEY_A)).toBe(true);
      expect(lines.some((l) => l.type === 'review')).toBe(true);
    });

    it('answers CORS only for extension origins', async () => {
      const ext = await t.request('GET', '/v1/health', { headers: { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' } });
      expect(ext.headers['access-control-allow-origin']).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
      const preflight = await t.request('OPTIONS', '/v1/reviews', {
        headers: { origin: 'moz-extension://0f1e2d3c-aaaa-bbbb-cccc-111122223333', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,idempotency-key,content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('idempotency-key');
      const page = await t.request('GET', '/v1/health', { headers: { origin: 'https://www.mturk.com' } });
      expect(page.status).toBe(403);
      expect(page.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
}
