/**
 * README "Adding a platform" is true: a copy of the project gets a made-up third platform
 * (Gigboard, e2e/fixtures/new-platform/, never shipped) the way the README tells a
 * newcomer — one table entry, one adapter registered in src/platforms/index.ts, its test
 * and its fixture page — and then
 *   - the files that changed are exactly the README's list,
 *   - the copy type-checks (no error the unchanged copy did not already have: other work
 *     in progress in the tree is not this test's business),
 *   - the copy's own test of the new platform passes: its adapter on its fixture page, and
 *     the key schema, messages, settings, badge index, pasted addresses and currency all
 *     knowing the platform from the table alone (e2e/fixtures/new-platform/gigboard.test.ts.txt).
 * Nothing is mocked: the copy runs the project's own code.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NEW_PLATFORM = join(ROOT, 'e2e/fixtures/new-platform');
const ID = 'gigboard';

let copy: string;

function files(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.name === 'node_modules') continue;
      if (entry.isDirectory()) walk(path);
      else found.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return found;
}

/** The README's list of files a new platform touches, `<id>` filled in (`*` stays a wildcard). */
function readmeList(): RegExp[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## Adding a platform\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "## Adding a platform" section');
  const paths = [...section.matchAll(/^\d+\. `([^`]+)`/gm)].map((m) => m[1]!.replaceAll('<id>', ID));
  return paths.map((path) => new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]+')}$`));
}

async function typeErrors(): Promise<Set<string>> {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  // Incremental: the second run re-checks only what the new platform's files reach (its build info lives beside the copy, not in it).
  const args = [tsc, '--noEmit', '-p', 'tsconfig.check.json', '--incremental', '--tsBuildInfoFile', `${copy}.tsbuildinfo`];
  const result = await run(process.execPath, args, { cwd: copy }).catch((e: { stdout: string }) => e);
  return new Set(result.stdout.split('\n').filter((line) => /error TS\d+/.test(line)));
}

/** What a newcomer does, step by step as the README says. */
function addPlatform(): void {
  const text = (file: string) => readFileSync(join(NEW_PLATFORM, file), 'utf8');
  const edit = (file: string, change: (source: string) => string) => {
    const path = join(copy, file);
    const before = readFileSync(path, 'utf8');
    const after = change(before);
    if (after === before) throw new Error(`${file}: the README's step changed nothing (has the file changed shape?)`);
    writeFileSync(path, after);
  };
  // 1. One entry in the table.
  edit('src/core/platforms.ts', (source) => source.replace(/^\} as const satisfies Record<string, PlatformSpec>;$/m, (end) => `${text('table-entry.ts.txt')}${end}`));
  // 2. The adapter, and 3. its registration.
  writeFileSync(join(copy, `src/platforms/${ID}.ts`), text(`${ID}.ts.txt`));
  edit('src/platforms/index.ts', (source) =>
    source
      .replace(/^(import \{ \w+ \} from '\.\/prolific\.js';)$/m, `$1\nimport { ${ID}Adapter } from './${ID}.js';`)
      .replace(/(const ADAPTERS = \{[^}]*?)( \})/, `$1, ${ID}: ${ID}Adapter$2`),
  );
  // 4. Its test, and 5. its fixture page.
  writeFileSync(join(copy, `src/platforms/${ID}.test.ts`), text(`${ID}.test.ts.txt`));
  cpSync(join(NEW_PLATFORM, `${ID}-jobs.html`), join(copy, `e2e/fixtures/${ID}-jobs.html`));
}

/** The copy's own vitest run of the new platform's test file: its JSON report. */
async function copyTestReport(): Promise<{ numPassedTests: number; numFailedTests: number; numTotalTests: number }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_ENV'));
  const report = `${copy}.report.json`;
  const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs');
  await run(process.execPath, [vitest, 'run', `src/platforms/${ID}.test.ts`, '--reporter=json', `--outputFile=${report}`], { cwd: copy, env }).catch(
    (e: { stdout: string; stderr: string }) => {
      // The JSON reporter writes the failures to its file, not to stdout: say them.
      let failures = '';
      try {
        type Report = { testResults: { message?: string; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[] };
        const results = (JSON.parse(readFileSync(report, 'utf8')) as Report).testResults;
        failures = results
          .flatMap((file) => [file.message ?? '', ...file.assertionResults.filter((a) => a.status !== 'passed').map((a) => `${a.title}: ${a.failureMessages.join('\n')}`)])
          .filter(Boolean)
          .join('\n');
      } catch {
        // no report: stdout and stderr say what happened
      }
      throw new Error(`the copy's test failed:\n${failures}\n${e.stdout}\n${e.stderr}`);
    },
  );
  return JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTests: number };
}

/** The copy's files added, changed or removed by the README's steps. */
let changed: { touched: string[]; removed: string[] };
let baselineErrors: Set<string>;
let afterErrors: Promise<Set<string>>;
let testReport: ReturnType<typeof copyTestReport>;

beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), 'lantern-add-platform-'));
  cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
  cpSync(join(ROOT, 'e2e/fixtures'), join(copy, 'e2e/fixtures'), { recursive: true, filter: (path) => !path.startsWith(NEW_PLATFORM) });
  for (const file of ['package.json', 'tsconfig.json', 'vitest.config.ts']) cpSync(join(ROOT, file), join(copy, file));
  // The copy holds src and fixtures only (no scripts/, no e2e specs): type-check what it holds.
  writeFileSync(join(copy, 'tsconfig.check.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src'] }));
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const before = files(copy);
  baselineErrors = await typeErrors();
  addPlatform();
  const after = files(copy); // before vitest runs: it writes config bundles beside the config for a moment
  changed = {
    touched: [...after].filter(([path, hash]) => before.get(path) !== hash).map(([path]) => path),
    removed: [...before.keys()].filter((path) => !after.has(path)),
  };
  // Both read the finished copy and change nothing in it: run side by side.
  afterErrors = typeErrors();
  testReport = copyTestReport();
  afterErrors.catch(() => {});
  testReport.catch(() => {});
}, 60_000);

afterAll(() => {
  if (!copy) return;
  for (const path of [copy, `${copy}.tsbuildinfo`, `${copy}.report.json`]) rmSync(path, { recursive: true, force: true });
});

describe('adding a platform as the README says', () => {
  test("touches exactly the README's files", () => {
    expect(changed.removed).toEqual([]);
    const list = readmeList();
    expect(list.length).toBe(5);
    expect(changed.touched.filter((path) => !list.some((pattern) => pattern.test(path)))).toEqual([]);
    expect(list.filter((pattern) => !changed.touched.some((path) => pattern.test(path))).map(String)).toEqual([]);
  });

  test('type-checks', async () => {
    const errors = [...(await afterErrors)].filter((line) => !baselineErrors.has(line));
    expect(errors).toEqual([]);
  }, 60_000);

  test("passes the new platform's own test: its adapter on its page, and every derived schema, default and parser knowing it", async () => {
    const result = await testReport;
    expect(result).toMatchObject({ numFailedTests: 0, numPassedTests: 6, numTotalTests: 6 });
  }, 60_000);
});
