/**
 * Property: no generated bad body, sent to any write endpoint of a running server, gets
 * anything but a 4xx in our shape — and none of them changes a single row. On SQLite and
 * PostgreSQL both. Bodies cover wrong values (text with control characters, lone
 * surrogates and characters of every Unicode plane among them), nesting thousands deep,
 * repeated and `__proto__` keys, and bytes that are not UTF-8 (testing/hostile.ts); and
 * for text, the server must answer exactly what the shared schema (the extension's) says.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ReviewFlagInput, ReviewInput, RequesterFlagInput, SuspensionReportInput } from '../core/schemas.js';
import { BanBody, DecisionBody, MergeBody, MuteBody, PublishRulesBody, ReasonBody, ReleaseHeldBody } from '../core/moderation-protocol.js';
import { DEFAULT_RULES } from '../core/rules.js';
import { firstField } from '../core/validation.js';
import { sha256Hex } from './http/guards.js';
import { runModeratorCommand } from './moderation/roles-cli.js';
import { KEY_A, KEY_B, review } from './testing/builders.js';
import { testBackends } from './testing/databases.js';
import { startTestServer, type Response, type TestServer } from './testing/harness.js';
import { dataTables, hostileText, malformedBodies, withHostileText } from './testing/hostile.js';

const RUNS = 1000;
/** With a length: a chunked DELETE body is refused by Node's HTTP parser (and its socket reset) before any route sees it. */
const SIZED = { 'content-length': '2' };

const wrongValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer({ min: -1e12, max: 1e12 }),
  fc.string({ maxLength: 30 }),
  fc.string({ minLength: 2001, maxLength: 2100 }),
  fc.constant('mturk:not-a-requester'),
  fc.constant('\u0000\u001f'),
  hostileText(),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 4 }),
  fc.object({ maxDepth: 1 }),
);

/** A valid body with one field (possibly nested) replaced, removed or joined by an unknown one. */
function mutated(valid: Record<string, unknown>) {
  const paths: string[][] = [];
  const walk = (value: unknown, path: string[]) => {
    if (path.length) paths.push(path);
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(valid, []);
  return fc.tuple(fc.constantFrom(...paths), fc.constantFrom('replace', 'delete', 'add'), wrongValue).map(([path, how, value]) => {
    const copy = structuredClone(valid);
    let target: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
    const last = path.at(-1)!;
    if (how === 'replace') target[last] = value;
    else if (how === 'delete') delete target[last];
    else target['unexpected_field'] = value;
    return JSON.stringify(copy);
  });
}

function badBodies(valid: Record<string, unknown>, schema: z.ZodMiniType) {
  const notJson = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.constantFrom('{', '{"a":', '[1,2', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', 'null', '""', '0'),
  );
  const anyJson = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v));
  const schemaRefuses = fc
    .oneof({ weight: 3, arbitrary: mutated(valid) }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: notJson })
    .filter((text) => {
      // Keep only bodies the schema really refuses (a deleted optional field can still be valid).
      try {
        return !schema.safeParse(JSON.parse(text)).success;
      } catch {
        return true;
      }
    })
    .map((text) => Buffer.from(text));
  // Refused whatever the schema says: too deep, a repeated or forbidden key, not UTF-8.
  return fc.oneof({ weight: 4, arbitrary: schemaRefuses }, { weight: 1, arbitrary: malformedBodies(valid) });
}

/** A 4xx in our shape: `error`, `field` and `message` strings, nothing else. */
function expectRefused(res: Response): void {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(typeof res.json?.error).toBe('string');
  expect(typeof res.json?.field).toBe('string');
  expect(typeof res.json?.message).toBe('string');
}

/** The database URL the moderator command takes (a PostgreSQL schema rides on it). */
function databaseOf(t: TestServer): string {
  return t.db.options.schema ? `${t.db.database}${t.db.database.includes('?') ? '&' : '?'}schema=${t.db.options.schema}` : t.db.database;
}

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`bad bodies on every write endpoint (${backend})`, () => {
    let t: TestServer;
    let secret: string;
    let reviewId: string;
    let reportId: string;
    let before: Record<string, string[]>;

    beforeAll(async () => {
      t = await startTestServer(backend, { logLevel: 'warn' });
      secret = await t.account();
      reviewId = (await t.request('POST', '/v1/reviews', { secret, body: review({ taskId: 'KEEP' }) })).json.review.id;
      reportId = (await t.request('POST', '/v1/suspension-reports', { secret, body: acrossRequesters })).json.id;
      before = await dataTables(t.db);
    });
    afterAll(() => t?.close());

    const acrossRequesters = {
      tasks: [{ requester: KEY_A, requesterName: 'Acme', taskId: 'T1', taskTitle: 'x' }],
      requesters: [{ requester: KEY_B, requesterName: 'Beta' }],
      suspendedOn: '2026-01-07',
      reinstated: false,
      note: 'a note',
    };
    const endpoints: [string, string, () => string, Record<string, unknown>, z.ZodMiniType][] = [
      ['POST', '/v1/reviews', () => '/v1/reviews', review() as unknown as Record<string, unknown>, ReviewInput],
      ['PUT', '/v1/reviews/:id', () => `/v1/reviews/${reviewId}`, review({ taskId: 'KEEP' }) as unknown as Record<string, unknown>, ReviewInput],
      ['POST', '/v1/suspension-reports', () => '/v1/suspension-reports', { requester: KEY_A, requesterName: 'Acme', suspendedOn: '2026-01-01', tasks: [{ taskId: 'T1', taskTitle: 'x' }] }, SuspensionReportInput],
      ['POST', '/v1/suspension-reports (across requesters)', () => '/v1/suspension-reports', acrossRequesters, SuspensionReportInput],
      ['PUT', '/v1/suspension-reports/:id', () => `/v1/suspension-reports/${reportId}`, acrossRequesters, SuspensionReportInput],
      ['POST', '/v1/requester-flags', () => '/v1/requester-flags', { requester: KEY_A, requesterName: 'Acme', reason: 'phishing', taskId: 'T1' }, RequesterFlagInput],
      ['POST', '/v1/review-flags', () => '/v1/review-flags', { reviewId: 'someReview', reason: 'other', note: 'a long enough explanation here' }, ReviewFlagInput],
      ['POST', '/v1/accounts', () => '/v1/accounts', { nothing: 1 }, z.optional(z.strictObject({}))],
    ];

    for (const [method, name, path, valid, schema] of endpoints) {
      it(`${method} ${name}: ${RUNS} bad bodies, all 4xx, no row changed`, async () => {
        const statuses = new Map<number, number>();
        await fc.assert(
          fc.asyncProperty(badBodies(valid, schema), async (body) => {
            const res = await t.request(method, path(), { secret, body });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            expectRefused(res);
          }),
          { numRuns: RUNS },
        );
        expect(await dataTables(t.db)).toEqual(before);
        console.log(`${method} ${name}: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')}`);
      }, 60_000);
    }

    it('DELETE /v1/reviews/:id with a body or a malformed id: 4xx, nothing deleted', async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1, maxLength: 80 }), async (junk) => {
          const res = await t.request('DELETE', `/v1/reviews/${encodeURIComponent(junk)}x!`, { secret });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        }),
        { numRuns: 200 },
      );
      expect((await t.request('DELETE', `/v1/reviews/${reviewId}`, { secret, body: '{}', headers: SIZED })).status).toBe(400);
      expect(await dataTables(t.db)).toEqual(before);
    });

    it('DELETE /v1/suspension-reports/:id with a body or a malformed id: 4xx, nothing withdrawn', async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1, maxLength: 80 }), async (junk) => {
          const res = await t.request('DELETE', `/v1/suspension-reports/${encodeURIComponent(junk)}x!`, { secret });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        }),
        { numRuns: 200 },
      );
      expect((await t.request('DELETE', `/v1/suspension-reports/${reportId}`, { secret, body: '{}', headers: SIZED })).status).toBe(400);
      expect(await dataTables(t.db)).toEqual(before);
    });
  });

  describe.skipIf(skip)(`bad bodies on every moderation action (${backend})`, () => {
    let t: TestServer;
    let admin: string;
    let reviewId: string;
    let before: Record<string, string[]>;

    beforeAll(async () => {
      t = await startTestServer(backend, { logLevel: 'warn' });
      admin = await t.account();
      const quiet = { out: () => undefined, err: () => undefined };
      await runModeratorCommand(['grant', '--role', 'admin', '--account', sha256Hex(admin), '--database', databaseOf(t)], quiet);
      const author = await t.account();
      reviewId = (await t.request('POST', '/v1/reviews', { secret: author, body: review({ taskId: 'KEEP' }) })).json.review.id;
      before = await dataTables(t.db);
    });
    afterAll(() => t?.close());

    const { version: _v, ...rules } = DEFAULT_RULES;
    const actions: [string, () => string, Record<string, unknown>, z.ZodMiniType][] = [
      ['reviews/:id/hide', () => `/v1/moderation/reviews/${reviewId}/hide`, { reason: 'a reason' }, ReasonBody],
      ['held/release', () => '/v1/moderation/held/release', { requester: KEY_A, reason: 'a reason' }, ReleaseHeldBody],
      ['requesters/:key/suspension', () => `/v1/moderation/requesters/${KEY_A}/suspension`, { decision: 'confirm', reason: 'a reason' }, DecisionBody],
      ['accounts/mute', () => '/v1/moderation/accounts/mute', { target: { kind: 'review', id: 'someReview' }, days: 3, reason: 'a reason' }, MuteBody],
      ['accounts/ban', () => '/v1/moderation/accounts/ban', { target: { kind: 'review', id: 'someReview' }, reason: 'a reason' }, BanBody],
      ['requesters/merge', () => '/v1/moderation/requesters/merge', { from: KEY_B, into: KEY_A, reason: 'a reason' }, MergeBody],
      ['rules', () => '/v1/moderation/rules', { rules, reason: 'a reason' }, PublishRulesBody],
    ];

    for (const [name, path, valid, schema] of actions) {
      it(`POST /v1/moderation/${name}: 300 bad bodies, all 4xx, no row changed, no audit entry`, async () => {
        await fc.assert(
          fc.asyncProperty(badBodies(valid, schema), async (body) => {
            const res = await t.request('POST', path(), { secret: admin, body });
            expectRefused(res);
          }),
          { numRuns: 300 },
        );
        expect(await dataTables(t.db)).toEqual(before);
      }, 60_000);
    }
  });

  describe.skipIf(skip)(`hostile text: the server answers what the shared schema (the extension's) says (${backend})`, () => {
    const TEXT_RUNS = 300;
    let t: TestServer;
    let secret: string;
    let reviewId: string;
    const valid = review({ taskId: 'KEEP' }) as unknown as Record<string, unknown>;

    beforeAll(async () => {
      t = await startTestServer(backend, { logLevel: 'warn' });
      secret = await t.account();
      reviewId = (await t.request('POST', '/v1/reviews', { secret, body: valid })).json.review.id;
    });
    afterAll(() => t?.close());

    it(`PUT /v1/reviews/:id: ${TEXT_RUNS} texts from every plane, each refused naming the field or stored as ReviewInput gives it`, async () => {
      const seen = { refused: 0, stored: 0 };
      await fc.assert(
        fc.asyncProperty(withHostileText(valid, [['text'], ['taskTitle'], ['requesterName']]), async ({ body, path }) => {
          const expected = ReviewInput.safeParse(body);
          const res = await t.request('PUT', `/v1/reviews/${reviewId}`, { secret, body });
          if (!expected.success) {
            seen.refused += 1;
            expect({ status: res.status, field: res.json?.field }).toEqual({ status: 400, field: firstField(expected.error) });
          } else {
            seen.stored += 1;
            expect(res.status).toBe(200);
            const key = path[0] as 'text' | 'taskTitle' | 'requesterName';
            if (key !== 'requesterName') expect(res.json.review[key]).toBe(expected.data[key]);
          }
        }),
        { numRuns: TEXT_RUNS },
      );
      // Both sides of the property were exercised.
      expect(seen.refused).toBeGreaterThan(TEXT_RUNS / 10);
      expect(seen.stored).toBeGreaterThan(TEXT_RUNS / 10);
      console.log(`hostile review text (${backend}): ${seen.refused} refused, ${seen.stored} stored as the schema gives them`);
    }, 120_000);

    it(`POST /v1/requester-flags: ${TEXT_RUNS} hostile notes, each refused naming "note" exactly when RequesterFlagInput refuses it`, async () => {
      const flag = { requester: KEY_A, requesterName: 'Acme', reason: 'phishing', note: 'x' };
      await fc.assert(
        fc.asyncProperty(withHostileText(flag, [['note']]), async ({ body }) => {
          const expected = RequesterFlagInput.safeParse(body);
          const res = await t.request('POST', '/v1/requester-flags', { secret, body });
          if (expected.success) expect([200, 201]).toContain(res.status);
          else expect({ status: res.status, field: res.json?.field }).toEqual({ status: 400, field: 'note' });
        }),
        { numRuns: TEXT_RUNS },
      );
    }, 120_000);
  });
}
