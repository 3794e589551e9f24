/**
 * `npm run package` (scripts/package.ts): the Firefox zip is exactly a fresh production
 * build, byte for byte; the zips are deterministic (sorted entries, fixed timestamps) and
 * carry no test hook even when LANTERN_TEST_HOOKS=1 is set; and the source archive, unpacked
 * elsewhere and packaged again as docs/building-from-source.md says, gives the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Packages, PackagingRecord } from './package.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'lantern-package-'));
let packages: Packages;
let build: typeof import('./build.js').build;
let privacyFile: string;
let filesUnder: typeof import('./package.js').filesUnder;

beforeAll(async () => {
  // build() writes the moderation page under LANTERN_DIST: keep everything in this test's folder.
  vi.stubEnv('LANTERN_DIST', dir);
  // Packaging must drop the hooks even when the environment asks for them.
  vi.stubEnv('LANTERN_TEST_HOOKS', '1');
  vi.stubEnv('LANTERN_DEFAULT_SERVER', undefined);
  ({ build, PRIVACY_FILE: privacyFile } = await import('./build.js'));
  const packaging = await import('./package.js');
  filesUnder = packaging.filesUnder;
  packages = await packaging.packageExtension({ distDir: join(dir, 'release'), quiet: true });
}, 120_000);
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Each entry's name and DOS time and date, read from the zip's central directory. */
function centralDirectory(zip: Uint8Array): { name: string; time: number; date: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22; // no archive comment
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    entries.push({ name, time: view.getUint16(at + 12, true), date: view.getUint16(at + 14, true) });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

describe('store packages', () => {
  it('the Firefox zip holds exactly a fresh production build, and the Chrome zip is the same bytes', async () => {
    const fresh = join(dir, 'fresh');
    await build({ outdir: fresh, testHooks: false, quiet: true });
    const zipped = unzipSync(readFileSync(packages.firefox));

    const freshFiles = filesUnder(fresh);
    expect(Object.keys(zipped).sort()).toEqual(freshFiles);
    expect(freshFiles).toContain('manifest.json');
    expect(freshFiles).toContain('background.js');
    for (const file of freshFiles) expect(Buffer.from(zipped[file]!).equals(readFileSync(join(fresh, file))), file).toBe(true);
    expect(readFileSync(packages.chrome).equals(readFileSync(packages.firefox))).toBe(true);
  }, 120_000);

  it('zips are deterministic: entries sorted, every timestamp 1980-01-01 00:00', () => {
    for (const path of [packages.firefox, packages.source]) {
      const entries = centralDirectory(readFileSync(path));
      expect(entries.length).toBeGreaterThan(10);
      expect(entries.map((e) => e.name)).toEqual(entries.map((e) => e.name).sort());
      // DOS date: (year - 1980) << 9 | month << 5 | day; time 00:00:00 is 0.
      for (const entry of entries) expect({ name: entry.name, time: entry.time, date: entry.date }).toEqual({ name: entry.name, time: 0, date: (1 << 5) | 1 });
    }
  });

  it('ships PRIVACY.md as the file the options page links to', () => {
    const zipped = unzipSync(readFileSync(packages.firefox));
    expect(Buffer.from(zipped[privacyFile]!).equals(readFileSync(join(ROOT, 'PRIVACY.md')))).toBe(true);
    expect(new TextDecoder().decode(zipped['options.js'])).toContain(`"${privacyFile}"`);
  });

  it('carries no test hook even when LANTERN_TEST_HOOKS=1 is set', () => {
    const zipped = unzipSync(readFileSync(packages.firefox));
    const scripts = Object.keys(zipped).filter((name) => name.endsWith('.js'));
    expect(scripts).toContain('background.js');
    for (const name of scripts) {
      const text = new TextDecoder().decode(zipped[name]);
      expect(text, name).not.toMatch(/\blanternWorkLog\b|globalThis\.lantern\b|[{,]\s*lantern\s*:\s*\{/);
    }
  });

  it('the source archive records the zips\u2019 hashes and rebuilds them byte for byte elsewhere', () => {
    const source = unzipSync(readFileSync(packages.source));
    const record = JSON.parse(new TextDecoder().decode(source['packaging.json'])) as PackagingRecord;
    expect(record).toEqual({ version: packages.version, defaultServer: null, sha256: { chrome: sha256(readFileSync(packages.chrome)), firefox: sha256(readFileSync(packages.firefox)) } });
    for (const needed of ['package.json', 'package-lock.json', 'manifest.json', 'scripts/build.ts', 'scripts/package.ts', 'src/background/index.ts', 'PRIVACY.md', 'docs/building-from-source.md']) {
      expect(Object.keys(source), needed).toContain(needed);
    }
    expect(Object.keys(source).some((name) => name.startsWith('node_modules/') || name.startsWith('dist/'))).toBe(false);

    // As the reviewer does (docs/building-from-source.md), with `npm ci` replaced by this checkout's node_modules.
    const unpacked = join(dir, 'unpacked');
    for (const [name, bytes] of Object.entries(source)) {
      mkdirSync(dirname(join(unpacked, name)), { recursive: true });
      writeFileSync(join(unpacked, name), bytes);
    }
    symlinkSync(join(ROOT, 'node_modules'), join(unpacked, 'node_modules'), 'dir');
    const env: NodeJS.ProcessEnv = { ...process.env, LANTERN_DIST: join(unpacked, 'dist') };
    delete env.LANTERN_TEST_HOOKS;
    execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/package.ts'], { cwd: unpacked, env, stdio: 'pipe' });
    const rebuilt = readFileSync(join(unpacked, 'dist', 'packages', `lantern-firefox-${packages.version}.zip`));
    expect(sha256(rebuilt)).toBe(record.sha256.firefox);
  }, 120_000);
});
