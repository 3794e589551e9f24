/** Small pieces both drivers use. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../harness.js';
import type { Served } from './types.js';

export function fixtureResponse(file: string): Served {
  return { body: readFileSync(join(FIXTURES_DIR, file), 'utf8'), contentType: 'text/html; charset=utf-8' };
}

/** Polls `probe` until it returns a non-null value; throws `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Source of an expression that calls `fn` with a background global and a JSON-parsed argument. */
export function callSource(fn: Function, backgroundExpression: string, arg: unknown): string {
  const json = JSON.stringify(JSON.stringify(arg ?? null));
  return `(async () => {
    const bg = ${backgroundExpression};
    const out = await (${fn.toString()})(bg, bg.JSON.parse(${json}));
    return out === undefined ? null : JSON.parse(JSON.stringify(out));
  })()`;
}
