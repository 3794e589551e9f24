/**
 * Store packages: builds the extension for production (no test hooks, minified) and
 * writes to dist/packages
 *
 *   lantern-chrome-<version>.zip    for the Chrome Web Store
 *   lantern-firefox-<version>.zip   for addons.mozilla.org (the same folder: one build both load)
 *   lantern-source-<version>.zip    the sources Firefox's review asks for, with
 *                                   docs/building-from-source.md and packaging.json
 *
 *   npm run package
 *
 * Every zip is deterministic — entries sorted, every timestamp fixed, no file modes from
 * the disk — so the same sources give the same bytes on any machine: a reviewer who
 * unpacks the source archive and runs `npm ci && npm run package` gets zips whose SHA-256
 * matches packaging.json. (web-ext build stamps the current time, so it can't do that.)
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import { build, DIST_DIR } from './build.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** DOS time starts in 1980; fflate reads the date with local-time getters, so this is 1980-01-01 00:00 in every time zone. */
const FIXED_MTIME = new Date(1980, 0, 1);

/**
 * What the source archive holds: everything `npm ci && npm run package` needs (the
 * extension's and the build's sources, the lockfile, the manifest, icons), and the
 * documents a reviewer reads. Folders are taken whole, minus editor and log litter.
 */
export const SOURCE_PATHS = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'manifest.json',
  'README.md',
  'PRIVACY.md',
  'docs/building-from-source.md',
  'icons',
  'scripts',
  'src',
];

/** Every file under `dir`, as sorted forward-slash paths relative to it. */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      if (name.startsWith('.') || name.endsWith('.log')) continue;
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else found.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

/** A zip of `files` (path → bytes) that depends only on them: sorted entries, fixed time, maximum compression. */
export function deterministicZip(files: Map<string, Uint8Array>): Uint8Array {
  const entries: Zippable = {};
  for (const path of [...files.keys()].sort()) entries[path] = files.get(path)!;
  return zipSync(entries, { level: 9, mtime: FIXED_MTIME });
}

function readAll(dir: string, paths: string[]): Map<string, Uint8Array> {
  return new Map(paths.map((path) => [path, readFileSync(join(dir, path))]));
}

/** The source archive's file list: SOURCE_PATHS that exist, folders expanded. */
export function sourceFiles(root = ROOT): string[] {
  const files: string[] = [];
  for (const path of SOURCE_PATHS) {
    const full = join(root, path);
    if (!existsSync(full)) continue;
    if (statSync(full).isDirectory()) files.push(...filesUnder(full).map((file) => `${path}/${file}`));
    else files.push(path);
  }
  return files.sort();
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface Packages {
  version: string;
  /** The folder that was zipped (a production build). */
  extensionDir: string;
  chrome: string;
  firefox: string;
  source: string;
  /** What packaging.json in the source archive records. */
  record: PackagingRecord;
}

/** packaging.json: what a reviewer needs to rebuild the same bytes and check them. */
export interface PackagingRecord {
  version: string;
  /** `LANTERN_DEFAULT_SERVER` the packages were built with (null: none); set it the same when rebuilding. */
  defaultServer: string | null;
  sha256: { chrome: string; firefox: string };
}

/**
 * Builds the production extension into `<distDir>/extension` and writes the three zips to
 * `<distDir>/packages`. `defaultServer`: as for build() (default: `LANTERN_DEFAULT_SERVER`).
 */
export async function packageExtension(options: { distDir?: string; defaultServer?: string | null; quiet?: boolean } = {}): Promise<Packages> {
  const distDir = options.distDir ?? DIST_DIR;
  const extensionDir = join(distDir, 'extension');
  const out = join(distDir, 'packages');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const defaultServer = options.defaultServer === undefined ? process.env.LANTERN_DEFAULT_SERVER || null : options.defaultServer;

  // Store packages never carry test hooks, whatever LANTERN_TEST_HOOKS says.
  await build({ outdir: extensionDir, defaultServer, testHooks: false, quiet: options.quiet ?? false });
  const extension = deterministicZip(readAll(extensionDir, filesUnder(extensionDir)));

  const record: PackagingRecord = { version, defaultServer, sha256: { chrome: sha256(extension), firefox: sha256(extension) } };
  const sources = readAll(ROOT, sourceFiles());
  sources.set('packaging.json', new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`));

  mkdirSync(out, { recursive: true });
  const written = {
    chrome: join(out, `lantern-chrome-${version}.zip`),
    firefox: join(out, `lantern-firefox-${version}.zip`),
    source: join(out, `lantern-source-${version}.zip`),
  };
  writeFileSync(written.chrome, extension);
  writeFileSync(written.firefox, extension);
  writeFileSync(written.source, deterministicZip(sources));
  if (!options.quiet) {
    for (const [store, path] of Object.entries(written)) console.log(`Wrote ${path}${store === 'source' ? '' : `  sha256 ${record.sha256[store as 'chrome' | 'firefox']}`}`);
  }
  return { version, extensionDir, ...written, record };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await packageExtension();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
