/**
 * For the extension's sync tests (src/background/sync*.test.ts): an HTTP relay in front
 * of the test server that records every request and can be turned against the client —
 * refusing connections (the server down) or answering in the server's place (a 500,
 * garbage, a forged or stale body) — and the server-side steps those tests share: another
 * worker's review, and the server's own snapshot to compare a replica with.
 */
import http from 'node:http';
import type net from 'node:net';
import { SnapshotHead, readSyncBody, type Checksum } from '../../core/sync-protocol.js';
import type { EncodedSummaryText } from '../../core/summary-text.js';
import type { RequesterKey } from '../../core/requester-key.js';
import { review } from './builders.js';
import type { TestServer } from './harness.js';

export interface RelayAnswer {
  status: number;
  body: string;
}

/** Answers a request in the server's place; `upstream` asks the server itself (uncompressed). */
type Rewrite = (path: string, upstream: () => Promise<RelayAnswer>) => Promise<RelayAnswer | null>;

export class SyncRelay {
  /** Every request that reached the relay, as `GET /v1/sync/changes?since=…`. */
  readonly seen: string[] = [];
  /** Down: every connection is reset, as a server that can't be reached. */
  down = false;
  /** When set, answers the requests it returns an answer for (null: passed on). */
  rewrite: Rewrite | null = null;
  private readonly relay = http.createServer((request, response) => void this.handle(request, response));
  private readonly target: URL;

  constructor(target: string) {
    this.target = new URL(target);
  }

  async open(): Promise<string> {
    await new Promise<void>((resolve) => this.relay.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.relay.address() as net.AddressInfo).port}`;
  }

  /** Passes everything on again and forgets what it saw. */
  reset(): void {
    this.down = false;
    this.rewrite = null;
    this.seen.length = 0;
  }

  /** The requests seen whose path starts with `prefix`. */
  requests(prefix: string): string[] {
    return this.seen.filter((line) => line.startsWith(prefix));
  }

  close(): Promise<void> {
    this.relay.closeAllConnections();
    return new Promise((resolve) => this.relay.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const path = request.url ?? '/';
    this.seen.push(`${request.method} ${path}`);
    if (this.down) return void request.socket.resetAndDestroy();
    const rewritten = this.rewrite && (await this.rewrite(path, () => this.upstream(request, path)));
    if (rewritten) {
      response.writeHead(rewritten.status, { 'content-type': 'application/json; charset=utf-8' });
      return void response.end(rewritten.body);
    }
    const forward = http.request(
      { host: this.target.hostname, port: this.target.port, method: request.method, path, headers: { ...request.headers, host: this.target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on('error', () => request.socket.destroy());
    request.pipe(forward);
  }

  /** The server's answer as text: asked without compression, so a rewrite can read it. */
  private upstream(request: http.IncomingMessage, path: string): Promise<RelayAnswer> {
    const { 'accept-encoding': _compression, ...headers } = request.headers;
    return new Promise((resolve, reject) => {
      const forward = http.request({ host: this.target.hostname, port: this.target.port, method: request.method, path, headers: { ...headers, host: this.target.host } }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, body: Buffer.concat(chunks).toString('utf8') }));
      });
      forward.on('error', reject);
      forward.end();
    });
  }
}

/** An mturk requester key of its own for each test's requesters. */
export const requesterKeyFor = (label: string, n: number) => `mturk:A${label.toUpperCase()}${String(n).padStart(8, '0')}`;

/** Another worker (a new account) reviews `requester`; the server takes it at once. */
export async function reviewOnServer(server: TestServer, requester: string, name = `Requester ${requester.slice(-4)}`): Promise<void> {
  const answer = await server.request('POST', '/v1/reviews', {
    secret: await server.account(),
    body: review({ requester: requester as RequesterKey, requesterName: name }),
  });
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`review: ${answer.status} ${answer.text}`);
}

/** The server's snapshot as it is now (built afresh: the test server caches none): its version, checksum and row texts by key. */
export async function snapshotOnServer(server: TestServer): Promise<{ text: string; version: string; checksum: Checksum; rows: Map<string, EncodedSummaryText> }> {
  const answer = await server.request('GET', '/v1/sync/snapshot');
  if (answer.status !== 200) throw new Error(`snapshot: ${answer.status}`);
  const body = readSyncBody(answer.text, SnapshotHead);
  if ('error' in body) throw new Error(`snapshot: ${body.error}`);
  const rows = new Map(body.rows.map((text) => [JSON.parse(text)[0] as string, text]));
  return { text: answer.text, version: body.head.version, checksum: body.head.checksum, rows };
}
