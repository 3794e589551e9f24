/**
 * Test hooks (`globalThis.lantern`, `globalThis.lanternWorkLog`) exist only in test builds:
 * a production build's bundles carry neither the hooks nor their names, while a test build
 * (as e2e/global-setup.ts and the benches make) has both. The store zips are checked in
 * packaging.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** Where a bundle exposes a hook: `globalThis.lantern…`, or `lantern:`/`lanternWorkLog:` keys of the object assigned to globalThis. */
const HOOKS = { lantern: /[{,]\s*lantern\s*:\s*\{|globalThis\.lantern\b/, lanternWorkLog: /\blanternWorkLog\b/ };

const dir = mkdtempSync(join(tmpdir(), 'lantern-hooks-'));
let build: typeof import('./build.js').build;

beforeAll(async () => {
  // build() also writes the moderation page under LANTERN_DIST: keep it in this test's folder.
  vi.stubEnv('LANTERN_DIST', dir);
  vi.stubEnv('LANTERN_TEST_HOOKS', undefined);
  ({ build } = await import('./build.js'));
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

function hooksIn(outdir: string): Record<string, string[]> {
  const found: Record<string, string[]> = { lantern: [], lanternWorkLog: [] };
  for (const file of readdirSync(outdir).filter((name) => name.endsWith('.js'))) {
    const text = readFileSync(join(outdir, file), 'utf8');
    for (const [hook, pattern] of Object.entries(HOOKS)) if (pattern.test(text)) found[hook]!.push(file);
  }
  return found;
}

describe('test hooks', () => {
  it('a test build exposes both hooks in background.js, a production build none in any bundle', async () => {
    const testBuild = join(dir, 'test-build');
    const production = join(dir, 'production');
    await build({ outdir: testBuild, testHooks: true, quiet: true });
    await build({ outdir: production, testHooks: false, quiet: true });

    expect(hooksIn(testBuild)).toEqual({ lantern: ['background.js'], lanternWorkLog: ['background.js'] });
    expect(hooksIn(production)).toEqual({ lantern: [], lanternWorkLog: [] });
  }, 120_000);

  it('LANTERN_TEST_HOOKS=1 turns them on when build() is not told, as for the benches; without it they are off', async () => {
    const withEnv = join(dir, 'env-on');
    const withoutEnv = join(dir, 'env-off');
    vi.stubEnv('LANTERN_TEST_HOOKS', '1');
    await build({ outdir: withEnv, quiet: true });
    vi.stubEnv('LANTERN_TEST_HOOKS', undefined);
    await build({ outdir: withoutEnv, quiet: true });
    expect(hooksIn(withEnv).lanternWorkLog).toEqual(['background.js']);
    expect(hooksIn(withoutEnv)).toEqual({ lantern: [], lanternWorkLog: [] });
  }, 120_000);
});
