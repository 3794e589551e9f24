/**
 * A real server on loopback for API tests, with its log lines captured. Requests are
 * sent from 127.0.0.2 (the server listens on 127.0.0.1), so "the client's address"
 * is a string the tests can search every table and log line for.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { startServer, type RunningServer, type ServerOptions } from '../index.js';
import { createTestDatabase, type BackendName, type TestDatabase } from './databases.js';

export const CLIENT_ADDRESS = '127.0.0.2';

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  text: string;
  json: any;
}

interface RequestOptions {
  /** An object is sent as JSON; a string or Buffer is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  secret?: string;
  idempotencyKey?: string | null;
}

export interface TestServer {
  url: string;
  db: TestDatabase;
  logs: string[];
  server: RunningServer;
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** A new account's secret. */
  account(): Promise<string>;
  close(): Promise<void>;
}

export async function startTestServer(backend: BackendName, options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const db = await createTestDatabase(backend);
  const logs: string[] = [];
  const database = db.options.schema ? `${db.database}${db.database.includes('?') ? '&' : '?'}schema=${db.options.schema}` : db.database;
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    database,
    logLevel: 'debug',
    rateLimits: false,
    snapshotMaxAgeMs: 0,
    exportMaxAgeMs: 0,
    logDestination: { write: (line: string) => void logs.push(line) },
    ...options,
  });
  const agent = new http.Agent({ keepAlive: true, localAddress: CLIENT_ADDRESS, maxSockets: 8 });
  const { hostname, port } = new URL(server.url);

  function request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...opts.headers };
    let payload: Buffer | undefined;
    if (opts.body !== undefined) {
      payload = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
      headers['content-type'] ??= 'application/json';
    }
    if (opts.secret) headers.authorization = `Bearer ${opts.secret}`;
    if (opts.idempotencyKey !== null && method !== 'GET' && opts.secret) headers['idempotency-key'] = opts.idempotencyKey ?? randomUUID();
    return new Promise((resolve, reject) => {
      const req = http.request({ host: hostname, port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          let json: unknown = undefined;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text, json });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  return {
    url: server.url,
    db,
    logs,
    server,
    request,
    async account() {
      const res = await request('POST', '/v1/accounts');
      if (res.status !== 201) throw new Error(`account creation failed: ${res.status} ${res.text}`);
      return res.json.accountSecret as string;
    },
    async close() {
      agent.destroy();
      await server.close();
      await db.drop();
    },
  };
}
