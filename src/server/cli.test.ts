/**
 * The CLI as an operator runs it: env and flags, /v1/health, and SIGTERM finishing a
 * request that is mid-flight (its body half sent) before closing the database.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'lantern-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function waitFor(lines: string[], pattern: RegExp, onLine: (cb: () => void) => void): Promise<string> {
  return new Promise((resolve) => {
    const check = () => {
      const hit = lines.find((l) => pattern.test(l));
      if (hit) resolve(hit);
    };
    onLine(check);
    check();
  });
}

describe('npm run server', () => {
  it('serves health, and on SIGTERM finishes the request in flight, closes the database and exits 0', async () => {
    const database = join(dir, 'data', 'lantern.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', '--port', '0'], {
      env: { ...process.env, LANTERN_DATABASE: database, LANTERN_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    const listeners: (() => void)[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      lines.push(...chunk.split('\n'));
      listeners.forEach((l) => l());
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const on = (cb: () => void) => listeners.push(cb);

    const listening = await waitFor(lines, /Server listening at/, on);
    const url = /http:\/\/[0-9.]+:\d+/.exec(listening)![0];
    expect((await fetch(`${url}/v1/health`)).status).toBe(200);

    // A raw request whose body is not complete yet: it is in flight when SIGTERM arrives.
    const { port } = new URL(url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.setEncoding('utf8').on('data', (d: string) => (response += d));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{');
    // Answered after the bytes above were written, so by then the server has read those headers.
    expect((await fetch(`${url}/v1/health`)).status).toBe(200);
    child.kill('SIGTERM');
    await waitFor(lines, /SIGTERM: finishing requests in flight/, on);
    socket.end('}');
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 201/);
    expect(response).toContain('accountSecret');
    expect(await exited).toBe(0);
    expect(lines.some((l) => l.includes('server closed'))).toBe(true);
    // A clean close checkpoints SQLite's write-ahead log and removes it.
    expect(existsSync(`${database}-wal`)).toBe(false);
    expect(existsSync(database)).toBe(true);
  }, 30_000);

  it('refuses a webhook URL without a secret of 16 characters or more, before opening anything (exit 2)', () => {
    for (const env of [{ LANTERN_WEBHOOK_URL: 'https://hooks.example/lantern' }, { LANTERN_WEBHOOK_URL: 'https://hooks.example/lantern', LANTERN_WEBHOOK_SECRET: 'short' }, { LANTERN_WEBHOOK_URL: 'file:///etc/passwd', LANTERN_WEBHOOK_SECRET: 'x'.repeat(32) }]) {
      const database = join(dir, 'webhook', 'never.sqlite');
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', '--port', '0'], {
        env: { ...process.env, LANTERN_DATABASE: database, ...env },
        encoding: 'utf8',
      });
      expect(result.status, JSON.stringify(env)).toBe(2);
      expect(result.stderr).toMatch(/webhook (URL|secret)/);
      expect(existsSync(database)).toBe(false);
    }
  }, 30_000);
});
