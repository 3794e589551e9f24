/**
 * A pass-through HTTP proxy in front of the test server that records every request path.
 * Firefox's page interception never sees the background's own requests, so what the
 * extension sent to the server (a delta, not a snapshot; nothing naming a requester) is
 * proven here, the same way in both browsers.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoggingProxy {
  url: string;
  /** `METHOD /path?query`, in arrival order. */
  readonly seen: string[];
  close(): Promise<void>;
}

export async function startLoggingProxy(target: string): Promise<LoggingProxy> {
  const upstream = new URL(target);
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
