/**
 * A real Lantern server for end-to-end tests: the production `startServer`, on 127.0.0.1
 * with a fresh SQLite file, restartable on the same port and file (to test outages).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../src/server/index.js';

export interface TestServer {
  url: string;
  /** The SQLite file: tests may age accounts or read rows directly (never the extension). */
  database: string;
  stop(): Promise<void>;
  /** Starts it again on the same port and database file. */
  restart(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const database = join(mkdtempSync(join(tmpdir(), 'lantern-e2e-')), 'lantern.sqlite');
  const options = { host: '127.0.0.1', database, logLevel: 'warn', rateLimits: false as const, snapshotMaxAgeMs: 0, advisedWaitSeconds: 30 };
  let running: RunningServer | null = await startServer({ ...options, port: 0 });
  const url = running.url;
  const port = Number(new URL(url).port);
  return {
    url,
    database,
    async stop() {
      await running?.close();
      running = null;
    },
    async restart() {
      running = await startServer({ ...options, port });
    },
  };
}
