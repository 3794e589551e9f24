/**
 * Property: no generated bad body, sent to any write endpoint of a running server, gets
 * anything but a 4xx — and none of them changes a single row.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ReviewFlagInput, ReviewInput, RequesterFlagInput, SuspensionReportInput } from '../core/schemas.js';
import { BanBody, DecisionBody, MergeBody, MuteBody, PublishRulesBody, ReasonBody, ReleaseHeldBody } from '../core/moderation-protocol.js';
import { DEFAULT_RULES } from '../core/rules.js';
import { sha256Hex } from './http/guards.js';
import { runModeratorCommand } from './moderation/roles-cli.js';
import { KEY_A, KEY_B, review } from './testing/builders.js';
import { startTestServer, type TestServer } from './testing/harness.js';

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
  return fc
    .oneof({ weight: 3, arbitrary: mutated(valid) }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: notJson })
    .filter((text) => {
      // Keep only bodies the schema really refuses (a deleted optional field can still be valid).
      try {
        return !schema.safeParse(JSON.parse(text)).success;
      } catch {
        return true;
      }
    });
}

describe('bad bodies on every write endpoint (SQLite)', () => {
  let t: TestServer;
  let secret: string;
  let reviewId: string;
  let reportId: string;
  let before: Record<string, string[]>;

  beforeAll(async () => {
    t = await startTestServer('sqlite', { logLevel: 'warn' });
    secret = await t.account();
    reviewId = (await t.request('POST', '/v1/reviews', { secret, body: review({ taskId: 'KEEP' }) })).json.review.id;
    reportId = (await t.request('POST', '/v1/suspension-reports', { secret, body: acrossRequesters })).json.id;
    before = await t.db.dumpTables();
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
          const res = await t.request(method, path(), { secret, body: Buffer.from(body) });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(typeof res.json?.error).toBe('string');
        }),
        { numRuns: RUNS },
      );
      expect(await t.db.dumpTables()).toEqual(before);
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
    expect(await t.db.dumpTables()).toEqual(before);
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
    expect(await t.db.dumpTables()).toEqual(before);
  });
});

describe('bad bodies on every moderation action (SQLite)', () => {
  let t: TestServer;
  let admin: string;
  let reviewId: string;
  let before: Record<string, string[]>;

  beforeAll(async () => {
    t = await startTestServer('sqlite', { logLevel: 'warn' });
    admin = await t.account();
    const quiet = { out: () => undefined, err: () => undefined };
    await runModeratorCommand(['grant', '--role', 'admin', '--account', sha256Hex(admin), '--database', t.db.database], quiet);
    const author = await t.account();
    reviewId = (await t.request('POST', '/v1/reviews', { secret: author, body: review({ taskId: 'KEEP' }) })).json.review.id;
    before = await t.db.dumpTables();
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
          const res = await t.request('POST', path(), { secret: admin, body: Buffer.from(body) });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(typeof res.json?.error).toBe('string');
        }),
        { numRuns: 300 },
      );
      expect(await t.db.dumpTables()).toEqual(before);
    }, 60_000);
  }
});
