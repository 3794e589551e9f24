/**
 * Incidents through the moderation API on a real server, both backends: the list (open
 * first, newest first, or one status), confirm and dismiss (status, what browsers get, an
 * audit entry, a queued webhook delivery, the queue count), bad input and unknown ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../http/guards.js';
import { KEY_A, KEY_B, review } from '../testing/builders.js';
import { testBackends } from '../testing/databases.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { seedIncident, withSql } from './incident-fixtures.js';
import { runModeratorCommand } from './roles-cli.js';

const HOUR = 3_600_000;

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`incidents API on ${backend}`, () => {
    let t: TestServer;
    let moderator: string;
    let worker: string;
    const base = Date.now();

    const deliveries = () =>
      withSql(t.db, (tx) => tx.all<{ event: string; body_json: string }>('SELECT event, body_json FROM webhook_deliveries ORDER BY created_at, id'));

    beforeAll(async () => {
      t = await startTestServer(backend);
      const database = t.db.options.schema ? `${t.db.database}?schema=${t.db.options.schema}` : t.db.database;
      moderator = await t.account();
      worker = await t.account();
      const io = { out: () => undefined, err: () => undefined };
      expect(await runModeratorCommand(['grant', '--role', 'moderator', '--account', sha256Hex(moderator), '--name', 'mod-inc', '--database', database], io)).toBe(0);
      // The requesters exist (a review each), as they would after the reports that opened the incidents.
      await t.request('POST', '/v1/reviews', { secret: worker, body: review() });
      await t.request('POST', '/v1/reviews', { secret: worker, body: review({ requester: KEY_B, requesterName: 'Beta Research' }) });
      await seedIncident(t.db, { id: 'inc-old-open', requester: KEY_A, taskId: 'T-OLD', taskTitle: 'Old survey', openedAt: base - 5 * HOUR });
      await seedIncident(t.db, { id: 'inc-new-open', requester: KEY_B, taskId: 'T-NEW', taskTitle: 'New transcription', openedAt: base - 1 * HOUR });
      await seedIncident(t.db, { id: 'inc-closed', requester: KEY_A, taskId: '', status: 'dismissed', replicated: null, openedAt: base - 0.5 * HOUR });
    });
    afterAll(() => t?.close());

    const list = async (q = '') => {
      const res = await t.request('GET', `/v1/moderation/incidents${q}`, { secret: moderator });
      expect(res.status, res.text).toBe(200);
      return res.json;
    };

    it('lists open incidents first, newest first; filters by status; counts open ones on the queue tab', async () => {
      const all = await list();
      expect(all).toMatchObject({ total: 3, page: 1, perPage: 50 });
      expect(all.items.map((i: { id: string }) => i.id)).toEqual(['inc-new-open', 'inc-old-open', 'inc-closed']);
      expect(all.items[0]).toMatchObject({
        requester: { key: KEY_B, name: 'Beta Research' },
        taskId: 'T-NEW',
        taskTitle: 'New transcription',
        trigger: 'shared_task',
        status: 'open',
        accounts: 3,
        reports: 3,
        windowDays: 14,
        replicated: 'investigating',
        decidedAt: null,
      });
      expect(all.items[2]).toMatchObject({ taskId: null, taskTitle: null, trigger: 'report_rate', status: 'dismissed' });
      expect((await list('?status=dismissed')).items.map((i: { id: string }) => i.id)).toEqual(['inc-closed']);
      expect((await list('?status=open&perPage=1&page=2')).items.map((i: { id: string }) => i.id)).toEqual(['inc-old-open']);
      expect((await t.request('GET', '/v1/moderation/counts', { secret: moderator })).json.incidents).toBe(2);
    });

    it('confirms an incident: confirmed for browsers, audited, a webhook delivery queued, one less open', async () => {
      const before = (await deliveries()).length;
      const res = await t.request('POST', '/v1/moderation/incidents/inc-new-open', { secret: moderator, body: { decision: 'confirm', reason: 'Three workers, same task, same week' } });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({ ok: true, detail: { requester: KEY_B, taskId: 'T-NEW', previous: 'open', status: 'confirmed' } });
      const [item] = (await list('?status=confirmed')).items;
      expect(item).toMatchObject({ id: 'inc-new-open', status: 'confirmed', replicated: 'confirmed' });
      expect(typeof item.decidedAt).toBe('string');
      const audit = (await t.request('GET', '/v1/moderation/audit?action=confirm_incident', { secret: moderator })).json.items;
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ moderator: 'mod-inc', target: 'incident:inc-new-open', reason: 'Three workers, same task, same week' });
      const queued = await deliveries();
      expect(queued).toHaveLength(before + 1);
      expect(queued.at(-1)!.event).toBe('incident.confirmed');
      expect(JSON.parse(queued.at(-1)!.body_json)).toMatchObject({ event: 'incident.confirmed', incident: { id: 'inc-new-open', status: 'confirmed' } });
      expect(queued.at(-1)!.body_json).not.toContain('Three workers, same task');
      expect((await t.request('GET', '/v1/moderation/counts', { secret: moderator })).json.incidents).toBe(1);
      // The same decision again changes nothing.
      const again = await t.request('POST', '/v1/moderation/incidents/inc-new-open', { secret: moderator, body: { decision: 'confirm', reason: 'again' } });
      expect(again).toMatchObject({ status: 409, json: { field: 'decision' } });
    });

    it('dismisses an incident: it leaves the browsers, audited, a webhook delivery queued', async () => {
      const res = await t.request('POST', '/v1/moderation/incidents/inc-old-open', { secret: moderator, body: { decision: 'dismiss', reason: 'Unrelated: a platform-wide sweep' } });
      expect(res.status, res.text).toBe(200);
      const item = (await list('?status=dismissed')).items.find((i: { id: string }) => i.id === 'inc-old-open');
      expect(item).toMatchObject({ status: 'dismissed', replicated: null });
      const audit = (await t.request('GET', '/v1/moderation/audit?action=dismiss_incident', { secret: moderator })).json.items;
      expect(audit[0]).toMatchObject({ target: 'incident:inc-old-open', reason: 'Unrelated: a platform-wide sweep' });
      expect((await deliveries()).at(-1)!.event).toBe('incident.dismissed');
      expect((await t.request('GET', '/v1/moderation/counts', { secret: moderator })).json.incidents).toBe(0);
    });

    it('refuses bad input with a 4xx naming the field, an unknown incident with 404, non-moderators with 401; nothing changes', async () => {
      const audit = (await t.request('GET', '/v1/moderation/audit', { secret: moderator })).json.total;
      const queued = (await deliveries()).length;
      const cases: [string, string, unknown, number, string][] = [
        ['POST', '/v1/moderation/incidents/inc-closed', { decision: 'maybe', reason: 'ok reason' }, 400, 'decision'],
        ['POST', '/v1/moderation/incidents/inc-closed', { decision: 'confirm' }, 400, 'reason'],
        ['POST', '/v1/moderation/incidents/inc-closed', { decision: 'confirm', reason: 'x' }, 400, 'reason'],
        ['POST', '/v1/moderation/incidents/inc-closed', { decision: 'confirm', reason: 'ok reason', extra: true }, 400, '(body)'],
        ['POST', '/v1/moderation/incidents/bad%21id', { decision: 'confirm', reason: 'ok reason' }, 400, 'id'],
        ['POST', '/v1/moderation/incidents/no-such-incident', { decision: 'confirm', reason: 'ok reason' }, 404, 'id'],
        ['GET', '/v1/moderation/incidents?status=closed', undefined, 400, 'status'],
        ['GET', '/v1/moderation/incidents?perPage=500', undefined, 400, 'perPage'],
        ['GET', '/v1/moderation/incidents?page=0', undefined, 400, 'page'],
        ['GET', '/v1/moderation/correlation?days=0', undefined, 400, 'days'],
        ['GET', '/v1/moderation/correlation?min=x', undefined, 400, 'min'],
        // The old "last M reports" parameter is gone: refused, not ignored.
        ['GET', '/v1/moderation/correlation?last=200', undefined, 400, '(query)'],
      ];
      for (const [method, p, b, status, field] of cases) {
        const res = await t.request(method, p, { secret: moderator, body: b });
        expect(res.status, `${p} ${JSON.stringify(b)}: ${res.text}`).toBe(status);
        expect(res.json.field, `${p} ${JSON.stringify(b)}`).toBe(field);
      }
      expect((await t.request('POST', '/v1/moderation/incidents/inc-closed', { secret: worker, body: { decision: 'confirm', reason: 'ok reason' } })).status).toBe(401);
      expect((await t.request('GET', '/v1/moderation/incidents')).status).toBe(401);
      expect((await t.request('GET', '/v1/moderation/audit', { secret: moderator })).json.total).toBe(audit);
      expect(await deliveries()).toHaveLength(queued);
      expect((await list('?status=dismissed')).total).toBe(2);
    });

    it('answers the correlation in the new shape: the window in days', async () => {
      const res = await t.request('GET', '/v1/moderation/correlation?days=30&min=1', { secret: moderator });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({ days: 30, rows: [] });
      expect((await t.request('GET', '/v1/moderation/correlation', { secret: moderator })).json.days).toBe(14);
    });
  });
}
