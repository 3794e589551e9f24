/**
 * `npm test`: every check, in order of speed — types, dead code (knip), unit and server tests (vitest),
 * the Firefox lint of the built extension, then end-to-end tests in real Chromium and (the
 * shared specs in e2e/cross-browser/) real Firefox, each browser's count printed apart.
 * Ends with one line "N passed, N failed" counting every test and check.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const RESULTS = 'test-results';
mkdirSync(RESULTS, { recursive: true });
const bin = (name: string) => join('node_modules', '.bin', name);

let passed = 0;
let failed = 0;
const failures: string[] = [];

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(label: string, ok: boolean): void {
  if (ok) passed += 1;
  else {
    failed += 1;
    failures.push(label);
  }
}

/** Adds a runner's own per-test counts from its JSON report, and returns the report; a missing report is a failure. */
function countJson(label: string, file: string, read: (report: any) => { passed: number; failed: number }): any {
  if (!existsSync(file)) {
    check(`${label} (no report written)`, false);
    return null;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const counts = read(report);
  passed += counts.passed;
  failed += counts.failed;
  if (counts.failed > 0) failures.push(`${label}: ${counts.failed} failed`);
  return report;
}

/** Names each failed vitest test (file, title, the message's first line) so the end of the log says which. */
function failedVitestTests(report: any): string[] {
  const lines: string[] = [];
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status !== 'failed') continue;
      const message = String(test.failureMessages?.[0] ?? '').split('\n')[0]!.slice(0, 300);
      lines.push(`${file.name}: ${test.fullName}: ${message}`);
    }
    // A file that did not load has no tests, only its message.
    if (file.status === 'failed' && !(file.assertionResults ?? []).length) lines.push(`${file.name}: ${String(file.message ?? '').split('\n')[0]}`);
  }
  return lines;
}

/** The end-to-end counts per Playwright project (browser): Firefox's apart from Chromium's. */
function printPerBrowser(report: any): void {
  const counts = new Map<string, { passed: number; failed: number; skipped: number }>();
  const walk = (suite: any): void => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const c = counts.get(test.projectName) ?? { passed: 0, failed: 0, skipped: 0 };
        if (test.status === 'expected' || test.status === 'flaky') c.passed += 1;
        else if (test.status === 'skipped') c.skipped += 1;
        else c.failed += 1;
        counts.set(test.projectName, c);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
  for (const [browser, c] of counts) console.log(`end-to-end in ${browser}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
}

check('typecheck', run('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']));
// Dead code: unused files, exports and dependencies (knip.json says where the code starts).
check('dead code (knip)', run('dead code', bin('knip'), ['--no-progress']));

const vitestJson = join(RESULTS, 'vitest.json');
const vitestOk = run('unit and server tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const vitestReport = countJson('vitest', vitestJson, (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests }));
const vitestFailures = vitestReport ? failedVitestTests(vitestReport) : [];
// A run that failed outside any test (a file that does not load) still fails the whole.
if (!vitestOk && !failures.some((f) => f.startsWith('vitest'))) check('vitest (failed outside a test)', false);

check('build', run('build', 'npx', ['tsx', 'scripts/build.ts']));
check('web-ext lint (0 errors)', run('Firefox lint', bin('web-ext'), ['lint', '--source-dir', 'dist/extension', '--output', 'text']));

const playwrightJson = join(RESULTS, 'playwright.json');
const e2eOk = run('end-to-end tests (Chromium, and the shared specs in Firefox)', bin('playwright'), ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });
const playwrightReport = countJson('playwright', playwrightJson, (r) => ({ passed: r.stats.expected, failed: r.stats.unexpected }));
if (playwrightReport) printPerBrowser(playwrightReport);
if (!e2eOk && !failures.some((f) => f.startsWith('playwright'))) check('playwright (failed outside a test)', false);

console.log('');
for (const line of vitestFailures) console.log(`vitest failed: ${line}`);
if (failures.length) console.log(`Failed: ${failures.join('; ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
