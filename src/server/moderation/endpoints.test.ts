/**
 * The moderation endpoint catalogue (core/moderation-endpoints.ts) against the routes the
 * server registers from it, on a real SQLite storage: every catalogue entry is routed,
 * every read answers in its catalogue shape, and a response that drifts from the
 * catalogue (here: one carrying an account id) is stopped by the server's own check.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODERATION_ENDPOINTS, MODERATION_PREFIX, pathOf, type EndpointName } from '../../core/moderation-endpoints.js';
import { ReportView } from '../../core/moderation-protocol.js';
import { HttpError } from '../http/errors.js';
import { Guards, sha256Hex } from '../http/guards.js';
import { openStorage } from '../storage/sql-storage.js';
import type { Storage } from '../storage/storage.js';
import { KEY_A } from '../testing/builders.js';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { moderationRoutes } from './routes.js';

/** A value for each path param that passes its schema. */
const SAMPLE_PARAMS: Record<string, string> = { id: 'some-id', key: KEY_A, version: '1' };
const names = Object.keys(MODERATION_ENDPOINTS) as EndpointName[];
const urlOf = (name: EndpointName) => MODERATION_PREFIX + pathOf(MODERATION_ENDPOINTS[name].path, SAMPLE_PARAMS);

describe('moderation endpoint catalogue', () => {
  let db: TestDatabase;
  let storage: Storage;
  let app: FastifyInstance;
  const secret = randomBytes(32).toString('base64url');

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    storage = await openStorage(db.database, db.options);
    const account = await storage.createAccount(sha256Hex(secret), Date.now());
    await storage.moderation.grantRole(account.id, 'admin', 'mod-catalogue', Date.now());
    app = Fastify();
    // The app's own error handler (app.ts) turns anything unexpected into a bare 500; this one
    // says what was thrown, so the test can see which check stopped a response.
    app.setErrorHandler((error: Error, _request, reply) =>
      reply.code(error instanceof HttpError ? error.status : 500).send({ error: error instanceof HttpError ? error.code : 'internal_error', message: error.message }),
    );
    moderationRoutes(app, storage, new Guards(storage, false, Date.now), { now: Date.now, onRulesPublished: () => undefined });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await storage?.close();
    await db?.drop();
  });

  it('routes every endpoint of the catalogue: each asks who calls (401), none is missing (404)', async () => {
    expect(names.length).toBeGreaterThanOrEqual(24);
    for (const name of names) {
      const endpoint = MODERATION_ENDPOINTS[name];
      const res = await app.inject({ method: endpoint.method, url: urlOf(name), ...(endpoint.method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode, `${name}: ${endpoint.method} ${urlOf(name)} ${res.body}`).toBe(401);
    }
  });

  it('answers every read in the shape its catalogue entry gives', async () => {
    const reads = names.filter((name) => MODERATION_ENDPOINTS[name].method === 'GET');
    expect(reads).toContain('flagged');
    for (const name of reads) {
      const res = await app.inject({ method: 'GET', url: urlOf(name), headers: { authorization: `Bearer ${secret}` } });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
      const parsed = MODERATION_ENDPOINTS[name].response.safeParse(res.json());
      expect(parsed.success, `${name}: ${res.body}`).toBe(true);
    }
  });

  it("stops a response that drifts from the catalogue (an account id in the counts): a 500 naming the field, never the data", async () => {
    const moderation = storage.moderation;
    const real = moderation.counts.bind(moderation);
    moderation.counts = async () => ({ ...(await real()), accountId: 'acct-leaked-0001' }) as Awaited<ReturnType<typeof real>>;
    try {
      const res = await app.inject({ method: 'GET', url: urlOf('counts'), headers: { authorization: `Bearer ${secret}` } });
      expect(res.statusCode).toBe(500);
      expect(res.json().message).toMatch(/counts response.*accountId/);
      expect(res.body).not.toContain('acct-leaked-0001');
    } finally {
      moderation.counts = real;
    }
    const again = await app.inject({ method: 'GET', url: urlOf('counts'), headers: { authorization: `Bearer ${secret}` } });
    expect(again.statusCode).toBe(200);
  });

  it('has strict response shapes: a report carrying an account id is refused', () => {
    const report = { id: 'r1', suspendedOn: '2026-06-01', reinstated: false, tasks: [], note: '', reportedAt: '2026-06-02T00:00:00.000Z', status: 'open', established: true };
    expect(ReportView.safeParse(report).success).toBe(true);
    expect(ReportView.safeParse({ ...report, accountId: 'a1' }).success).toBe(false);
  });
});
