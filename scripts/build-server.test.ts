/**
 * The server bundle the Dockerfile runs: it imports only production dependencies (an image
 * built with `npm ci --omit=dev` has nothing else), and `node cli.mjs` serves and stops
 * cleanly on SIGTERM, as the container's stop does.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildServer } from './build-server.js';

// Inside the project, as dist/server is: packages resolve from the project's node_modules.
mkdirSync('test-results', { recursive: true });
const dir = mkdtempSync(join('test-results', 'server-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('bundles the server with only production dependencies outside, and the bundle serves and stops on SIGTERM', async () => {
  const { file, packages } = await buildServer(join(dir, 'server'));
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
  const outside = packages.filter((p) => !(p in manifest.dependencies) && !builtinModules.includes(p));
  expect(outside).toEqual([]);
  expect(packages).toEqual(expect.arrayContaining(['better-sqlite3', 'fastify', 'pg']));

  const child = spawn(process.execPath, [file, '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, LANTERN_DATABASE: join(dir, 'data', 'lantern.sqlite') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const hit = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (hit) resolve(hit[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bundle exited ${code} before listening`)));
  });
  const health = await fetch(`${url}/v1/health`);
  expect(health.status).toBe(200);
  expect(((await health.json()) as { status: string }).status).toBe('ok');
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 60_000);
