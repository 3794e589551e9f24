/**
 * Browsers open spare connections ahead of time. Node counts a connection that never sent
 * a request as busy, so a graceful close used to wait about a minute for each: close()
 * must drop them and still finish at once.
 */
import net from 'node:net';
import { expect, it } from 'vitest';
import { startTestServer } from './testing/harness.js';

it('closes at once with a connection open that never sent a request', async () => {
  const t = await startTestServer('sqlite', { logLevel: 'warn' });
  const { port } = new URL(t.url);
  const spare = net.connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve) => spare.once('connect', () => resolve()));
  const ended = new Promise<void>((resolve) => spare.once('close', () => resolve()));
  expect((await t.request('GET', '/v1/health')).status).toBe(200);
  const started = performance.now();
  await t.close();
  await ended;
  expect(performance.now() - started).toBeLessThan(3000);
});
