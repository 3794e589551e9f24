/**
 * Issue 14: "bad input is always a 4xx naming the field, never a 500" — for requests probed
 * from outside: pathological but small JSON bodies, framework-level refusals (malformed
 * %-encoding, long URLs, bad query strings, methods, 404/405/413/415) and what Node's HTTP
 * parser refuses. Each answer must be our shape, `{"error","field","message"}` (never
 * Fastify's `statusCode` shape), and no request may change a row of any table.
 * On SQLite and PostgreSQL both. Text-field classes: hostile-input-text.test.ts.
 */
import net from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from './http/guards.js';
import { runModeratorCommand } from './moderation/roles-cli.js';
import { KEY_A, review } from './testing/builders.js';
import { testBackends } from './testing/databases.js';
import { startTestServer, type Response, type TestServer } from './testing/harness.js';
import { dataTables } from './testing/hostile.js';

/** The status, header block and body of a raw HTTP exchange (for what Node's own client will not send). */
async function rawRequest(url: string, text: string | Buffer): Promise<{ status: number; head: string; json: any }> {
  const { hostname, port } = new URL(url);
  const answer = await new Promise<string>((resolve, reject) => {
    // Written, not ended: a half-closed socket may be dropped before a slow answer is sent.
    // Every request here ends the connection from the server's side (an error, or Connection: close).
    const socket = net.connect(Number(port), hostname, () => socket.write(text));
    socket.setTimeout(20_000, () => socket.destroy(new Error('no answer within 20 s')));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head, json: JSON.parse(body) };
}

/** Our error shape, with the field named; nothing of Fastify's own. */
function expectRefusal(res: { status: number; json: any }, status: number, field: string, error?: string): void {
  expect({ status: res.status, field: res.json?.field }).toEqual({ status, field });
  expect(typeof res.json.error).toBe('string');
  expect(typeof res.json.message).toBe('string');
  expect(Object.keys(res.json).sort()).toEqual(['error', 'field', 'message']);
  if (error) expect(res.json.error).toBe(error);
}

for (const { backend, skip } of testBackends()) {
  describe.skipIf(skip)(`hostile requests on ${backend}: a 4xx in our shape naming the field, no row changed`, () => {
    let t: TestServer;
    let secret: string;
    let admin: string;
    let reviewId: string;
    let before: Record<string, string[]>;

    beforeAll(async () => {
      t = await startTestServer(backend, { logLevel: 'warn' });
      secret = await t.account();
      admin = await t.account();
      const quiet = { out: () => undefined, err: () => undefined };
      await runModeratorCommand(['grant', '--role', 'admin', '--account', sha256Hex(admin), '--database', databaseOf(t)], quiet);
      reviewId = (await t.request('POST', '/v1/reviews', { secret, body: review({ taskId: 'KEEP' }) })).json.review.id;
      before = await dataTables(t.db);
    });
    afterAll(() => t?.close());

    const post = (body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> =>
      t.request('POST', '/v1/reviews', { secret, body: Buffer.isBuffer(body) ? body : Buffer.from(body), headers });
    const valid = () => JSON.stringify(review({ taskId: 'NEW' }));
    /** A valid review body with `"text": <json>` spliced in as raw text. */
    const withText = (json: string) => valid().replace('"text":"Fair task."', `"text":${json}`);

    it('nesting: refused at depth 16 before anything walks it (a 16k-deep array was a 500)', async () => {
      expectRefusal(await post('['.repeat(16_000) + ']'.repeat(16_000)), 400, '(body)', 'too_deep');
      expectRefusal(await post(withText('['.repeat(5000) + ']'.repeat(5000))), 400, 'text', 'too_deep');
      expectRefusal(await post(valid().replace('{', `{"extra":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)},`)), 400, 'extra.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a', 'too_deep');
      // 100k deep is over the body limit: refused before it is even read.
      expectRefusal(await post('['.repeat(100_000) + ']'.repeat(100_000)), 413, '(body)', 'body_too_large');
      // Shallow enough: refused by the schema, naming the field.
      expectRefusal(await post(withText('[[[[1]]]]')), 400, 'text', 'invalid_request');
      expect(await dataTables(t.db)).toEqual(before);
    });

    it('numbers: huge literals, 1e400 and NaN-like text are refused by field', async () => {
      expectRefusal(await post(valid().replace('"bonusCents":0', `"bonusCents":1${'0'.repeat(400)}`)), 400, 'bonusCents');
      expectRefusal(await post(valid().replace('"minutes":6', '"minutes":1e400')), 400, 'minutes');
      expectRefusal(await post(valid().replace('"minutes":6', '"minutes":NaN')), 400, '(body)', 'invalid_json');
      expectRefusal(await post(valid().replace('"cents":100', '"cents":100.0000000000001')), 400, 'reward.cents');
      expect(await dataTables(t.db)).toEqual(before);
    });

    it('keys: __proto__, constructor and prototype refused by path; duplicates refused, however escaped', async () => {
      expectRefusal(await post(valid().replace('{', '{"__proto__":{"x":1},')), 400, '__proto__', 'invalid_json');
      expectRefusal(await post(valid().replace('"ratings":{', '"ratings":{"constructor":{"prototype":{"x":1}},')), 400, 'ratings.constructor', 'invalid_json');
      expectRefusal(await post(valid().replace('"reward":{', '"reward":{"prototype":1,')), 400, 'reward.prototype', 'invalid_json');
      expectRefusal(await post(valid().replace('{', '{"text":"an earlier text, long enough",')), 400, 'text', 'invalid_json');
      expectRefusal(await post(valid().replace('{', '{"t\\u0065xt":"escaped the same key",')), 400, 'text', 'invalid_json');
      expectRefusal(await post(valid().replace('"reward":{', '"reward":{"cents":1,')), 400, 'reward.cents', 'invalid_json');
      // A 20,000-character unknown key is not echoed back whole.
      const long = await post(valid().replace('{', `{"${'\u{1F600}'.repeat(5000)}":1,`));
      expectRefusal(long, 400, '(body)', 'invalid_request');
      expect(long.json.message.length).toBeLessThanOrEqual(301);
      expect(long.json.message.isWellFormed()).toBe(true);
      expect(await dataTables(t.db)).toEqual(before);
    });

    it('bodies that are not a JSON object: empty, bare string/number/null/true/list, broken, not UTF-8, too large', async () => {
      expectRefusal(await post(''), 400, '(body)', 'invalid_json');
      for (const bare of ['"hello"', '12', 'null', 'true', '[]', '[{}]']) expectRefusal(await post(bare), 400, '(body)', 'invalid_request');
      for (const broken of ['{', '{"a":', "{'a':1}", '{"a":1}}', '\u0000']) expectRefusal(await post(broken), 400, '(body)', 'invalid_json');
      const [head, tail] = withText('"X"').split('"X"');
      expectRefusal(await post(Buffer.concat([Buffer.from(`${head}"`), Buffer.from([0xff, 0xc0, 0xed, 0xa0, 0x80]), Buffer.from(`"${tail}`)])), 400, '(body)', 'invalid_json');
      expectRefusal(await post(withText(JSON.stringify('x'.repeat(40_000)))), 413, '(body)', 'body_too_large');
      // Account creation takes nothing or `{}`: null is not nothing.
      expectRefusal(await t.request('POST', '/v1/accounts', { body: 'null' }), 400, '(body)');
      expect(await dataTables(t.db)).toEqual(before);
    });

    it('media types and encodings: 415 naming Content-Type or Content-Encoding', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/xml', 'application/json; charset=latin1', 'application/json; charset=utf-16']) {
        expectRefusal(await post(valid(), { 'content-type': type }), 415, 'Content-Type', 'unsupported_media_type');
      }
      expectRefusal(await t.request('POST', '/v1/reviews', { secret, body: Buffer.from(valid()), headers: { 'content-type': '' } }), 415, 'Content-Type');
      expectRefusal(await post(gzipSync(valid()), { 'content-encoding': 'gzip' }), 415, 'Content-Encoding', 'unsupported_media_type');
      expectRefusal(await post(deflateSync(valid()), { 'content-encoding': 'deflate' }), 415, 'Content-Encoding');
      // Labelled compressed but plain: was taken as plain JSON and stored.
      expectRefusal(await post(valid(), { 'content-encoding': 'gzip' }), 415, 'Content-Encoding');
      // The same on a moderation action.
      const hide = `/v1/moderation/reviews/${reviewId}/hide`;
      expectRefusal(await t.request('POST', hide, { secret: admin, body: Buffer.from('{"reason":"a reason"}'), headers: { 'content-type': 'text/plain' } }), 415, 'Content-Type');
      expectRefusal(await t.request('POST', hide, { secret: admin, body: gzipSync('{"reason":"a reason"}'), headers: { 'content-encoding': 'gzip' } }), 415, 'Content-Encoding');
      expect(await dataTables(t.db)).toEqual(before);
      // Still fine: utf-8 spelled either way, and a byte-order mark.
      expect((await post(valid().replace('"NEW"', '"U1"'), { 'content-type': 'application/json; charset=UTF-8' })).status).toBe(201);
      expect((await post('\ufeff' + valid().replace('"NEW"', '"U2"'), { 'content-type': 'application/json;charset="utf8"' })).status).toBe(201);
      before = await dataTables(t.db);
    });

    it('malformed %-encoding in path parameters: 400 naming (url), not Fastify\'s FST_ERR_BAD_URL', async () => {
      for (const bad of ['%E0%A4%A', '%ZZ', '%', '%C0%80', '%ED%A0%80', '%FF']) {
        expectRefusal(await t.request('GET', `/v1/moderation/requesters/${bad}/reports`, { secret: admin }), 400, '(url)', 'invalid_request');
        expectRefusal(await t.request('PUT', `/v1/reviews/${bad}`, { secret, body: review() }), 400, '(url)');
        expectRefusal(await t.request('DELETE', `/v1/suspension-reports/${bad}`, { secret }), 400, '(url)');
        expectRefusal(await t.request('GET', `/v1/rules/${bad}`), 400, '(url)');
      }
      // Well-formed but not an id: the route's own schema names the parameter.
      expectRefusal(await t.request('PUT', '/v1/reviews/%F0%9F%98%80', { secret, body: review() }), 400, 'id');
      expectRefusal(await t.request('GET', '/v1/moderation/requesters/%00/reports', { secret: admin }), 400, 'key');
      expect(await dataTables(t.db)).toEqual(before);
    });

    it('long path parameters reach the route (a 164-character requester key was a 414); absurd ones are a 414 in our shape', async () => {
      const longKey = `prolific-name:${'a'.repeat(150)}`;
      const ok = await t.request('GET', `/v1/moderation/requesters/${longKey}/reports`, { secret: admin });
      expect({ status: ok.status, body: ok.json }).toEqual({ status: 200, body: { reports: [] } });
      expectRefusal(await t.request('GET', `/v1/moderation/requesters/prolific-name:${'a'.repeat(600)}/reports`, { secret: admin }), 400, 'key');
      expectRefusal(await t.request('GET', `/v1/moderation/requesters/${'a'.repeat(2000)}/reports`, { secret: admin }), 414, '(url)', 'uri_too_long');
    });

    it('over-long URLs and headers: 431 in our shape naming (headers)', async () => {
      expectRefusal(await t.request('GET', `/v1/rules?x=${'a'.repeat(20_000)}`), 431, '(headers)', 'headers_too_large');
      expectRefusal(await t.request('GET', '/v1/health', { headers: { 'x-filler': 'a'.repeat(20_000) } }), 431, '(headers)');
      // A URL under the limit with an unknown parameter: the query is named, not the body.
      expectRefusal(await t.request('GET', `/v1/rules?x=${'a'.repeat(8_000)}`), 400, '(query)', 'invalid_request');
    });

    it('bad query strings: repeated, bracketed, broken %-encoding, NUL — each names its parameter', async () => {
      expectRefusal(await t.request('GET', '/v1/sync/changes?since=a&since=b'), 400, 'since');
      expectRefusal(await t.request('GET', '/v1/sync/changes?since[a]=1'), 400, 'since');
      expectRefusal(await t.request('GET', '/v1/sync/changes?since=%ZZ'), 400, 'since');
      expectRefusal(await t.request('GET', '/v1/sync/changes?since=%E0%A4%A'), 400, 'since');
      expectRefusal(await t.request('GET', '/v1/buckets?prefix=%00'), 400, 'prefix');
      expectRefusal(await t.request('GET', '/v1/export?a=1'), 400, '(query)');
      // Searched for in the database: a NUL went to PostgreSQL as is (its error: a 500).
      expectRefusal(await t.request('GET', '/v1/moderation/audit?moderator=%00', { secret: admin }), 400, 'moderator');
      expectRefusal(await t.request('GET', '/v1/moderation/audit?target=a%00b', { secret: admin }), 400, 'target');
      // Broken %-encoding in a query value is kept as its literal text (plain ASCII): searched for, found nowhere.
      const literal = await t.request('GET', '/v1/moderation/audit?target=%ED%A0%80x', { secret: admin });
      expect({ status: literal.status, total: literal.json.total }).toEqual({ status: 200, total: 0 });
      expectRefusal(await t.request('GET', '/v1/moderation/queues/flagged?page=0', { secret: admin }), 400, 'page');
      expectRefusal(await t.request('GET', '/v1/moderation/queues/flagged?perPage=1e3', { secret: admin }), 400, 'perPage');
    });

    it('methods and paths: 405 with Allow on a known path, 404 naming (url), Node-refused methods in our shape', async () => {
      const patch = await t.request('PATCH', `/v1/reviews/${reviewId}`, { secret, body: {} });
      expectRefusal(patch, 405, '(method)', 'method_not_allowed');
      expect(patch.headers.allow).toBe('DELETE, PUT');
      const get = await t.request('GET', '/v1/reviews');
      expectRefusal(get, 405, '(method)');
      expect(get.headers.allow).toBe('POST');
      expectRefusal(await t.request('DELETE', '/v1/health'), 405, '(method)');
      const propfind = await t.request('PROPFIND', '/v1/health');
      expectRefusal(propfind, 405, '(method)');
      expect(propfind.headers.allow).toBe('GET, HEAD');
      expectRefusal(await t.request('GET', '/v1/nothing'), 404, '(url)', 'not_found');
      expectRefusal(await t.request('GET', '/moderate/x.js'), 404, 'file', 'not_found');
      expectRefusal(await t.request('POST', '/v1/reviews/x/y', { secret, body: review() }), 404, '(url)');
      expectRefusal(await rawRequest(t.url, 'FOO /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), 400, '(method)');
      expectRefusal(await rawRequest(t.url, 'GET /v1/he alth HTTP/1.1\r\nHost: x\r\n\r\n'), 400, '(request)');
      expectRefusal(await rawRequest(t.url, 'GET /v1/\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'), 400, '(url)');
      expectRefusal(await rawRequest(t.url, 'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), 404, '(url)');
      expect(await dataTables(t.db)).toEqual(before);
    });

    it("what Node's HTTP parser refuses is answered in our shape, naming the header", async () => {
      const post = (headers: string, body = '{}') => rawRequest(t.url, `POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${headers}\r\n\r\n${body}`);
      expectRefusal(await post('Content-Length: abc'), 400, 'Content-Length');
      expectRefusal(await post('Content-Length: 2\r\nContent-Length: 3'), 400, 'Content-Length');
      expectRefusal(await post('Content-Length: 2\r\nTransfer-Encoding: chunked', '0\r\n\r\n'), 400, 'Transfer-Encoding');
      expectRefusal(await post('Bad Header: x'), 400, '(headers)');
      expectRefusal(await rawRequest(t.url, `GET /v1/health HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`), 431, '(headers)');
      // Node's own Host check answered with an empty body.
      expectRefusal(await rawRequest(t.url, 'GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n'), 400, 'Host');
      expectRefusal(await rawRequest(t.url, 'POST /v1/accounts HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}'), 400, 'Host');
      expect((await rawRequest(t.url, 'GET /v1/health HTTP/1.0\r\n\r\n')).status).toBe(200);
      expect(await dataTables(t.db)).toEqual(before);
    });
  });
}

function databaseOf(t: TestServer): string {
  return t.db.options.schema ? `${t.db.database}${t.db.database.includes('?') ? '&' : '?'}schema=${t.db.options.schema}` : t.db.database;
}
