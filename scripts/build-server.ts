/**
 * `npm run build:server`: the reputation server as one plain-JavaScript file,
 * `dist/server/cli.mjs`, run with `node dist/server/cli.mjs` (the same flags and LANTERN_*
 * variables as `npm run server`). Packages stay outside the bundle and must all be
 * production dependencies, so an image with `npm ci --omit=dev` runs it (see Dockerfile;
 * scripts/build-server.test.ts checks both).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { DIST_DIR } from './build.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_DIR = join(DIST_DIR, 'server');

/** Bundles the server; returns the output file and every package it imports at run time. */
export async function buildServer(outdir = SERVER_DIR): Promise<{ file: string; packages: string[] }> {
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, 'cli.mjs');
  const result = await esbuild.build({
    entryPoints: [join(ROOT, 'src/server/cli.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
  });
  const packages = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external || imported.path.startsWith('node:')) continue;
      const parts = imported.path.split('/');
      packages.add(imported.path.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
    }
  }
  return { file, packages: [...packages].sort() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { file, packages } = await buildServer();
  console.log(`Built ${file} (imports ${packages.join(', ')})`);
}
