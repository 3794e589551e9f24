/**
 * Builds the extension into dist/extension: one folder that both Chrome and Firefox
 * load (MV3 with both `background.service_worker` and `background.scripts`, so no
 * per-browser copies can drift apart).
 *
 *   npm run build            build once
 *   npm run watch            rebuild on change
 *   npm run package          store zips and the source archive (scripts/package.ts)
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { DETAIL_CARD_SCRIPT } from '../src/core/messages.js';
import { ServerUrl } from '../src/core/extension-state.js';
import { PLATFORM_IDS, PLATFORMS } from '../src/core/platforms.js';
import { checkManifest } from './manifest-check.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** `LANTERN_DIST` moves the whole output (parallel builds, e.g. several checkouts' test runs). */
export const DIST_DIR = process.env.LANTERN_DIST ? resolve(process.env.LANTERN_DIST) : join(ROOT, 'dist');
export const EXTENSION_DIR = join(DIST_DIR, 'extension');
/** The moderation page, served by the server at /moderate (not part of the extension). */
export const MODERATION_DIR = join(DIST_DIR, 'moderation');
const CONTENT_BUDGET_GZIP = 30 * 1024;
/** PRIVACY.md as the extension ships it (the options page links it). */
export const PRIVACY_FILE = 'privacy.txt';

/** Extension pages: src/<name>/index.tsx + src/<name>/<name>.html. Added as they are written. */
const PAGES = ['popup', 'options', 'rules', 'welcome'].filter((name) => existsSync(join(ROOT, 'src', name, 'index.tsx')));

/**
 * The server address a build carries (`LANTERN_DEFAULT_SERVER`, or `build({ defaultServer })`):
 * the background's serverUrl until the worker sets one. Checked like a typed one, so a
 * build can't carry an address the options page would refuse.
 */
function defaultServerOf(given: string | null | undefined): string | null {
  const url = given === undefined ? process.env.LANTERN_DEFAULT_SERVER || null : given;
  if (url === null) return null;
  const parsed = ServerUrl.safeParse(url);
  if (!parsed.success) throw new Error(`LANTERN_DEFAULT_SERVER ${JSON.stringify(url)}: must be an https:// address (http:// only for 127.0.0.1 or localhost)`);
  return parsed.data;
}

/**
 * Test hooks (`globalThis.lantern`, `globalThis.lanternWorkLog` in the background) exist only
 * in builds asked for them — `build({ testHooks: true })` or `LANTERN_TEST_HOOKS=1` — as the
 * end-to-end tests and benchmarks do; store packages and `npm run build` carry none.
 */
function testHooksOf(given: boolean | undefined): boolean {
  return given ?? process.env.LANTERN_TEST_HOOKS === '1';
}

function entryOptions(outdir: string, dev: boolean, defaultServer: string | null = null, testHooks = false): esbuild.BuildOptions[] {
  const common: esbuild.BuildOptions = {
    bundle: true,
    minify: !dev,
    sourcemap: dev ? 'linked' : false,
    target: ['chrome120', 'firefox128'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"', LANTERN_DEFAULT_SERVER: JSON.stringify(defaultServer), LANTERN_TEST_HOOKS: JSON.stringify(testHooks) },
    logLevel: 'warning',
    metafile: true,
  };
  return [
    // Content scripts can't be modules: self-contained IIFEs. prolific-main runs in the
    // page's world, before the page's code (see src/platforms/prolific-main-world.ts).
    {
      ...common,
      entryPoints: {
        content: join(ROOT, 'src/content/index.ts'),
        // Injected by the background when a page first opens a detail card (see src/content/card-loader.ts).
        'detail-card': join(ROOT, 'src/content/detail-card/entry.ts'),
        'prolific-main': join(ROOT, 'src/platforms/prolific-main-world.ts'),
      },
      format: 'iife',
      outdir,
    },
    {
      ...common,
      entryPoints: {
        background: join(ROOT, 'src/background/index.ts'),
        ...Object.fromEntries(PAGES.map((name) => [name, join(ROOT, 'src', name, 'index.tsx')])),
      },
      format: 'esm',
      outdir,
    },
  ];
}

interface ContentScript {
  matches: string[];
  js: string[];
}

/**
 * The platforms' pages (src/core/platforms.ts `hosts`) are where content.js runs and what
 * the host permissions ask for: manifest.json leaves both lists empty, the build fills them,
 * so a new platform's hosts need no second list.
 */
function withPlatformHosts(manifest: Record<string, unknown>): void {
  const matches = PLATFORM_IDS.flatMap((platform) => PLATFORMS[platform].hosts.map((host) => `https://${host}/*`));
  manifest.host_permissions = [...matches, ...((manifest.host_permissions as string[] | undefined) ?? [])];
  const content = (manifest.content_scripts as ContentScript[]).find((script) => script.js.includes('content.js'));
  if (!content) throw new Error('manifest.json has no content script running content.js');
  content.matches = [...matches, ...content.matches];
}

function copyStatic(outdir: string): void {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  manifest.version = pkg.version;
  withPlatformHosts(manifest);
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  cpSync(join(ROOT, 'src/_locales'), join(outdir, '_locales'), { recursive: true });
  mkdirSync(join(outdir, 'icons'), { recursive: true });
  for (const file of readdirSync(join(ROOT, 'icons'))) {
    if (file.endsWith('.png')) cpSync(join(ROOT, 'icons', file), join(outdir, 'icons', file));
  }
  for (const name of PAGES) cpSync(join(ROOT, 'src', name, `${name}.html`), join(outdir, `${name}.html`));
  // The privacy policy, readable from the options page without a network: plain text, which every browser shows as it is.
  cpSync(join(ROOT, 'PRIVACY.md'), join(outdir, PRIVACY_FILE));
}

/** src/moderation → dist/moderation: index.html, moderation.js, moderation.css. */
async function buildModerationPage(dev: boolean): Promise<void> {
  rmSync(MODERATION_DIR, { recursive: true, force: true });
  mkdirSync(MODERATION_DIR, { recursive: true });
  await esbuild.build({
    entryPoints: { moderation: join(ROOT, 'src/moderation/index.tsx') },
    outdir: MODERATION_DIR,
    bundle: true,
    minify: !dev,
    format: 'esm',
    target: ['chrome120', 'firefox128'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"' },
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'moderation.css']) cpSync(join(ROOT, 'src/moderation', file), join(MODERATION_DIR, file));
}

export interface BundleSize {
  file: string;
  bytes: number;
  gzip: number;
}

function bundleSizes(outdir: string): BundleSize[] {
  return readdirSync(outdir)
    .filter((file) => file.endsWith('.js'))
    .map((file) => {
      const bytes = readFileSync(join(outdir, file));
      return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
}

/**
 * `defaultServer`: the server address the build carries (default: `LANTERN_DEFAULT_SERVER`, else none).
 * `testHooks`: expose the background's functions on `globalThis` for tests (default: `LANTERN_TEST_HOOKS=1`, else off).
 */
export async function build(options: { outdir?: string; dev?: boolean; quiet?: boolean; defaultServer?: string | null; testHooks?: boolean } = {}): Promise<BundleSize[]> {
  const outdir = options.outdir ?? EXTENSION_DIR;
  const defaultServer = defaultServerOf(options.defaultServer);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await Promise.all([...entryOptions(outdir, options.dev ?? false, defaultServer, testHooksOf(options.testHooks)).map((o) => esbuild.build(o)), buildModerationPage(options.dev ?? false)]);
  copyStatic(outdir);
  const problems = checkManifest(outdir);
  // Not named by the manifest, but injected by name: it must exist too.
  if (!existsSync(join(outdir, DETAIL_CARD_SCRIPT))) problems.push(`${DETAIL_CARD_SCRIPT}, injected by the background, was not built`);
  if (problems.length > 0) throw new Error(`build failed:\n  ${problems.join('\n  ')}`);
  const sizes = bundleSizes(outdir);
  const content = sizes.find((s) => s.file === 'content.js');
  if (!options.dev && content && content.gzip > CONTENT_BUDGET_GZIP) {
    throw new Error(`content.js is ${content.gzip} bytes gzipped, over the ${CONTENT_BUDGET_GZIP}-byte budget`);
  }
  if (!options.quiet) printSizes(sizes, outdir);
  return sizes;
}

function printSizes(sizes: BundleSize[], outdir: string): void {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
  console.log(`Built ${outdir}`);
  console.log(`${'bundle'.padEnd(16)}${'size'.padStart(9)}${'gzipped'.padStart(10)}`);
  for (const s of sizes) console.log(`${s.file.padEnd(16)}${kb(s.bytes)} ${kb(s.gzip)}`);
}

async function watch(): Promise<void> {
  await build({ dev: true });
  const contexts = await Promise.all(entryOptions(EXTENSION_DIR, true, defaultServerOf(undefined), testHooksOf(undefined)).map((o) => esbuild.context(o)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('Watching src/ for changes (Ctrl-C to stop). Reload the extension after a rebuild.');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = new Set(process.argv.slice(2));
  try {
    if (args.has('--watch')) await watch();
    else await build();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
