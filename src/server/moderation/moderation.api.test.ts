/**
 * The moderation API on a real server, both backends: every endpoint refuses
 * non-moderators (and moderators where only admins may act), forged cross-site requests
 * are refused, every action writes an audit entry, no secret reaches a log line, and a
 * 10,000-item queue pages quickly on the server.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../core/rules.js';
import { DeltaBody } from '../../core/sync-protocol.js';
import { sha256Hex } from '../http/guards.js';
import { KEY_A, KEY_B, KEY_P, review } from '../testing/builders.js';
import { testBackends } from '../testing/databases.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { seedIncident, withSql } from './incident-fixtures.js';
import { runModeratorCommand } from './roles-cli.js';

const { version: _version, ...RULES_INPUT } = DEFAULT_RULES;

/** Every moderation endpoint: [method, path, body, admin only]. */
const ENDPOINTS: [string, string, unknown, boolean][] = [
  ['GET', '/v1/moderation/me', undefined, false],
  ['GET', '/v1/moderation/counts', undefined, false],
  ['GET', '/v1/moderation/queues/flagged', undefined, false],
  ['GET', '/v1/moderation/queues/held', undefined, false],
  ['GET', '/v1/moderation/queues/hidden', undefined, false],
  ['GET', '/v1/moderation/queues/suspensions', undefined, false],
  ['GET', '/v1/moderation/queues/issues', undefined, false],
  ['GET', '/v1/moderation/correlation', undefined, false],
  ['GET', '/v1/moderation/incidents', undefined, false],
  ['GET', '/v1/moderation/audit', undefined, false],
  ['GET', '/v1/moderation/rules', undefined, false],
  ['GET', '/v1/moderation/rules/1', undefined, false],
  ['GET', `/v1/moderation/requesters/${encodeURIComponent(KEY_A)}/reports`, undefined, false],
  ['POST', '/v1/moderation/reviews/REVIEWID/hide', { reason: 'reason given' }, false],
  ['POST', '/v1/moderation/reviews/REVIEWID/restore', { reason: 'reason given' }, false],
  ['POST', '/v1/moderation/reviews/REVIEWID/dismiss-flags', { reason: 'reason given' }, false],
  ['POST', '/v1/moderation/held/release', { requester: KEY_B, reason: 'reason given' }, false],
  ['POST', `/v1/moderation/requesters/${encodeURIComponent(KEY_A)}/suspension`, { decision: 'confirm', reason: 'reason given' }, false],
  ['POST', `/v1/moderation/requesters/${encodeURIComponent(KEY_P)}/issues`, { decision: 'confirm', reason: 'reason given' }, false],
  ['POST', '/v1/moderation/incidents/inc-api', { decision: 'confirm', reason: 'reason given' }, false],
  ['POST', '/v1/moderation/accounts/mute', { target: { kind: 'review', id: 'REVIEWID' }, days: 1, reason: 'reason given' }, false],
  ['POST', '/v1/moderation/requesters/merge', { from: KEY_B, into: KEY_A, reason: 'reason given' }, false],
  ['POST', '/v1/moderation/accounts/ban', { target: { kind: 'review', id: 'REVIEWID' }, reason: 'reason given' }, true],
  ['POST', '/v1/moderation/rules', { rules: RULES_INPUT, reason: 'reason given' }, true],
];

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`moderation API on ${backend}`, () => {
    let t: TestServer;
    let worker: string;
    let moderator: string;
    let admin: string;
    let reviewId: string;
    let database: string;
    const out: string[] = [];

    const grant = async (secret: string, role: string, name: string) => {
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
      expect(await runModeratorCommand(['grant', '--role', role, '--account', sha256Hex(secret), '--name', name, '--database', database], io)).toBe(0);
    };

    beforeAll(async () => {
      const pageDir = mkdtempSync(join(tmpdir(), 'lantern-page-'));
      writeFileSync(join(pageDir, 'index.html'), '<!doctype html><title>Lantern moderation</title>');
      writeFileSync(join(pageDir, 'moderation.js'), 'console.log(1)');
      t = await startTestServer(backend, { moderationPageDir: pageDir });
      database = t.db.options.schema ? `${t.db.database}?schema=${t.db.options.schema}` : t.db.database;
      worker = await t.account();
      moderator = await t.account();
      admin = await t.account();
      await grant(moderator, 'moderator', 'mod-api');
      await grant(admin, 'admin', 'admin-api');
      const author = await t.account();
      const written = await t.request('POST', '/v1/reviews', { secret: author, body: review({ text: 'Flag me' }) });
      reviewId = written.json.review.id;
      await t.request('POST', '/v1/reviews', { secret: author, body: review({ requester: KEY_B, requesterName: 'Beta' }) });
      await t.request('POST', '/v1/review-flags', { secret: worker, body: { reviewId, reason: 'insults', note: '' } });
      await t.request('POST', '/v1/suspension-reports', { secret: worker, body: { requester: KEY_A, requesterName: 'Acme Labs', suspendedOn: '2026-05-30', tasks: [{ taskId: 'T1', taskTitle: 'Survey' }] } });
      await t.request('POST', '/v1/requester-flags', { secret: worker, body: { requester: KEY_P, requesterName: 'P lab', reason: 'phishing' } });
      await seedIncident(t.db, { id: 'inc-api', requester: KEY_A, taskId: 'T1', taskTitle: 'Survey', openedAt: Date.now() });
    });
    afterAll(() => t?.close());

    const path = (p: string) => p.replace('REVIEWID', reviewId);
    const body = (b: unknown) => (b === undefined ? undefined : JSON.parse(JSON.stringify(b).replace('REVIEWID', reviewId)));

    it('the role command takes the account reference and never prints a secret', async () => {
      expect(out.some((l) => l.includes('granted moderator') && l.includes('"mod-api"'))).toBe(true);
      const lines: string[] = [];
      const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
      // The secret itself is accepted (hashed at once), and not echoed even when refused.
      expect(await runModeratorCommand(['grant', '--role', 'moderator', '--account', worker, '--database', database], io)).toBe(0);
      expect(await runModeratorCommand(['revoke', '--account', worker, '--database', database], io)).toBe(0);
      expect(await runModeratorCommand(['grant', '--role', 'boss', '--account', worker, '--database', database], io)).toBe(2);
      expect(await runModeratorCommand(['grant', '--role', 'moderator', '--account', 'short', '--database', database], io)).toBe(2);
      expect(await runModeratorCommand(['grant', '--role', 'moderator', '--account', 'f'.repeat(64), '--database', database], io)).toBe(1);
      // One secret in 64 begins with "-" (base64url): given after --account it is still a value, not an option.
      const dashed = `-${'x'.repeat(42)}`;
      const other = await t.account();
      await withSql(t.db, (tx) => tx.run('UPDATE accounts SET secret_hash = ? WHERE secret_hash = ?', [sha256Hex(dashed), sha256Hex(other)]));
      expect(await runModeratorCommand(['grant', '--role', 'moderator', '--account', dashed, '--database', database], io)).toBe(0);
      expect((await t.request('GET', '/v1/moderation/me', { secret: dashed })).status).toBe(200);
      expect(await runModeratorCommand(['revoke', '--account', dashed, '--database', database], io)).toBe(0);
      expect(await runModeratorCommand(['list', '--database', database], io)).toBe(0);
      expect(lines.join('\n')).toContain('admin-api\tadmin');
      for (const secret of [worker, moderator, admin, dashed]) expect(lines.join('\n') + out.join('\n')).not.toContain(secret);
    });

    it('refuses every endpoint without a secret and with a non-moderator secret (401), admin-only ones to moderators (403)', async () => {
      for (const [method, p, b, adminOnly] of ENDPOINTS) {
        const label = `${method} ${p}`;
        const anonymous = await t.request(method, path(p), { body: body(b) });
        expect(anonymous.status, label).toBe(401);
        expect(anonymous.json.field, label).toBe('Authorization');
        expect((await t.request(method, path(p), { body: body(b), secret: worker, idempotencyKey: null })).status, label).toBe(401);
        expect((await t.request(method, path(p), { body: body(b), secret: 'A'.repeat(43), idempotencyKey: null })).status, label).toBe(401);
        if (adminOnly) {
          const refused = await t.request(method, path(p), { body: body(b), secret: moderator, idempotencyKey: null });
          expect(refused, label).toMatchObject({ status: 403, json: { error: 'forbidden' } });
        }
      }
    });

    it('answers moderators, and admins on admin-only endpoints; every action writes an audit entry', async () => {
      for (const [method, p, b, adminOnly] of ENDPOINTS) {
        const res = await t.request(method, path(p), { body: body(b), secret: adminOnly ? admin : moderator, idempotencyKey: null });
        expect(res.status, `${method} ${p}: ${res.text}`).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
      }
      const audit = await t.request('GET', '/v1/moderation/audit?perPage=100', { secret: moderator });
      const actions = new Set(audit.json.items.map((e: { action: string }) => e.action));
      for (const a of ['hide_review', 'restore_review', 'dismiss_review_flags', 'release_held', 'confirm_suspension', 'confirm_incident', 'confirm_issue', 'mute_account', 'merge_requesters', 'ban_account', 'publish_rules']) {
        expect(actions, a).toContain(a);
      }
      const entry = audit.json.items.find((e: { action: string }) => e.action === 'ban_account');
      expect(entry).toMatchObject({ moderator: 'admin-api', target: `review:${reviewId}`, reason: 'reason given' });
      expect(typeof entry.at).toBe('string');
      expect((await t.request('GET', '/v1/moderation/me', { secret: admin })).json).toEqual({ pseudonym: 'admin-api', role: 'admin' });
    });

    it('hidden reviews show the moderator\'s reason to their author; the sync feed moves at once', async () => {
      const author = await t.account();
      const written = await t.request('POST', '/v1/reviews', { secret: author, body: review({ requester: KEY_P, requesterName: 'P lab', text: 'Rude words' }) });
      const id = written.json.review.id as string;
      const health = (await t.request('GET', '/v1/health')).json.version as string;
      const hidden = await t.request('POST', `/v1/moderation/reviews/${id}/hide`, { secret: moderator, body: { reason: 'Personal attack on a worker' } });
      expect(hidden.json).toMatchObject({ ok: true, recomputed: [KEY_P] });
      const mine = await t.request('GET', '/v1/account/reviews', { secret: author });
      expect(mine.json.reviews[0]).toMatchObject({ id, status: 'hidden', statusReason: 'Personal attack on a worker', requesterName: 'P lab' });
      const delta = DeltaBody.parse((await t.request('GET', `/v1/sync/changes?since=${health}`)).json);
      expect(delta.rows.map((r) => r[0])).toEqual([KEY_P]);
      expect(delta.removed).toEqual([]);
    });

    it('a merge reaches sync clients as a removed key, and a published rules version as rulesVersion', async () => {
      const changes = DeltaBody.parse((await t.request('GET', `/v1/sync/changes?since=${(await t.request('GET', '/v1/sync/snapshot')).json.version.split('.')[0]}.0`)).json);
      expect(changes.removed).toContain(KEY_B);
      expect(changes.rows.map((r) => r[0])).not.toContain(KEY_B);
      expect(changes.rulesVersion).toBe(2);
      expect((await t.request('GET', '/v1/rules/2')).json).toEqual({ ...RULES_INPUT, version: 2 });
      expect((await t.request('GET', '/v1/rules/1')).json).toEqual(DEFAULT_RULES);
    });

    it('muted and banned accounts cannot write', async () => {
      const muted = await t.account();
      const w = await t.request('POST', '/v1/reviews', { secret: muted, body: review() });
      await t.request('POST', '/v1/moderation/accounts/mute', { secret: moderator, body: { target: { kind: 'review', id: w.json.review.id }, days: 3, reason: 'Spam reviews' } });
      expect(await t.request('POST', '/v1/reviews', { secret: muted, body: review() })).toMatchObject({ status: 403, json: { error: 'account_muted' } });
      // The author of the first review was banned above.
      expect((await t.request('GET', '/v1/account/reviews', { secret: muted })).status).toBe(200);
    });

    it('refuses foreign and extension origins on the moderation API, accepts its own page; the public API stays extension-only', async () => {
      const host = new URL(t.url).host;
      const foreign = await t.request('POST', `/v1/moderation/reviews/${reviewId}/restore`, { secret: moderator, body: { reason: 'forged' }, headers: { origin: 'https://evil.example' } });
      expect(foreign).toMatchObject({ status: 403, json: { error: 'origin_not_allowed' } });
      const extension = await t.request('GET', '/v1/moderation/counts', { secret: moderator, headers: { origin: 'chrome-extension://abcdefghijklmnop' } });
      expect(extension.status).toBe(403);
      const own = await t.request('GET', '/v1/moderation/counts', { secret: moderator, headers: { origin: `http://${host}` } });
      expect(own.status).toBe(200);
      expect((await t.request('GET', '/v1/health', { headers: { origin: `http://${host}` } })).status).toBe(403);
      const plain = await t.request('POST', `/v1/moderation/reviews/${reviewId}/restore`, { secret: moderator, body: '{"reason":"text plain"}', headers: { 'content-type': 'text/plain' } });
      expect(plain.status).toBe(415);
      const page = await t.request('GET', '/moderate', { headers: { origin: `http://${host}` } });
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect((await t.request('GET', '/moderate/moderation.js')).headers['content-type']).toContain('javascript');
      expect((await t.request('GET', '/moderate/..%2Fpackage.json')).status).toBe(404);
    });

    it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
      const audit = (await t.request('GET', '/v1/moderation/audit', { secret: moderator })).json.total;
      const cases: [string, string, unknown, string][] = [
        ['POST', `/v1/moderation/reviews/${reviewId}/hide`, {}, 'reason'],
        ['POST', `/v1/moderation/reviews/${reviewId}/hide`, { reason: '  ' }, 'reason'],
        ['POST', `/v1/moderation/reviews/${reviewId}/hide`, { reason: 'ok reason', extra: 1 }, '(body)'],
        ['POST', '/v1/moderation/reviews/bad%21id/hide', { reason: 'ok reason' }, 'id'],
        ['POST', '/v1/moderation/accounts/mute', { target: { kind: 'review', id: reviewId }, days: 0, reason: 'ok reason' }, 'days'],
        ['POST', '/v1/moderation/requesters/merge', { from: KEY_A, into: KEY_A, reason: 'ok reason' }, 'into'],
        ['POST', '/v1/moderation/requesters/mturk:worker/suspension', { decision: 'confirm', reason: 'ok reason' }, 'key'],
        ['POST', '/v1/moderation/requesters/merge', { from: 'mturk:nope', into: KEY_A, reason: 'ok reason' }, 'from'],
        ['GET', '/v1/moderation/queues/flagged?perPage=500', undefined, 'perPage'],
        ['GET', '/v1/moderation/queues/flagged?page=0', undefined, 'page'],
        ['GET', '/v1/moderation/queues/held?reason=other', undefined, 'reason'],
        ['GET', '/v1/moderation/audit?action=delete_everything', undefined, 'action'],
      ];
      for (const [method, p, b, field] of cases) {
        const res = await t.request(method, p, { secret: moderator, body: b });
        expect(res.status, `${p} ${JSON.stringify(b)}`).toBe(400);
        expect(res.json.field, `${p} ${JSON.stringify(b)}`).toBe(field);
      }
      const rules = await t.request('POST', '/v1/moderation/rules', { secret: admin, body: { rules: { ...RULES_INPUT, tooFewBelow: 0 }, reason: 'bad rules' } });
      expect(rules).toMatchObject({ status: 400, json: { field: 'rules.tooFewBelow' } });
      expect((await t.request('GET', '/v1/moderation/audit', { secret: moderator })).json.total).toBe(audit);
    });

    it('never writes a secret or a reason-bearing body to the logs', () => {
      const logs = t.logs.join('\n');
      for (const secret of [worker, moderator, admin]) expect(logs).not.toContain(secret);
      expect(logs).not.toContain('reason given');
      expect(logs).toContain('/v1/moderation/reviews/:id/hide');
    });
  });
}
