/**
 * A pass-through HTTP proxy in front of the test server that can hold requests: while
 * held, every request whose `METHOD /path` starts with the held prefix waits (unanswered,
 * its connection open) until `release()`. A test uses it to keep a sync in flight, at a
 * known step, for as long as it needs — no timing guesses.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  url: string;
  /** `METHOD /path?query`, in arrival order. */
  readonly seen: string[];
  /** How many requests wait now. */
  readonly waiting: number;
  /** Holds requests starting with `prefix` (e.g. `GET /v1/sync/changes`) from now on. */
  hold(prefix: string): void;
  /** Stops holding and forwards every waiting request. */
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const upstream = new URL(target);
  const seen: string[] = [];
  let held: string | null = null;
  const waiting: (() => void)[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.writeHead(502).end());
    out.end(body);
  };
  const server = createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    seen.push(line);
    // The body is read at once, so a held request is only waiting for its answer.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const go = () => forward(req, res, Buffer.concat(chunks));
      if (held !== null && line.startsWith(held)) waiting.push(go);
      else go();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    get waiting() {
      return waiting.length;
    },
    hold(prefix) {
      held = prefix;
    },
    release() {
      held = null;
      for (const go of waiting.splice(0)) go();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
