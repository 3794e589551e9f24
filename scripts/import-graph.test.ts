/**
 * The import rule of src/ (README, "Layout of `src/`"), checked on the real graph: every
 * import between src/ files, type-only imports included (a part that needs another's types
 * depends on it as much as one that calls it), built by esbuild from every source file.
 *
 * Two checks: no import cycle anywhere in src/, tests included (a cycle makes load order
 * matter and parts impossible to read alone), and no import against the table below. Test
 * files (`*.test.ts`) are held to the cycle rule only: some check two parts against each
 * other (the background's lookup answer read by the content script's reader) or run the
 * real server under an extension part.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Which top-level folders of src/ each folder may import (besides itself): shared code
 * (core/) imports nothing of ours; what shows things (ui/) and what reads platforms
 * (platforms/) build on core alone; the parts that run build on those, never on each other.
 * The README ("Layout of `src/`") states the same table; keep the two together.
 */
const ALLOWED_IMPORTS: Record<string, readonly string[]> = {
  core: [],
  ui: ['core'],
  platforms: ['core'],
  content: ['core', 'ui', 'platforms'],
  background: ['core', 'ui'],
  popup: ['core', 'ui'],
  options: ['core', 'ui'],
  rules: ['core', 'ui'],
  welcome: ['core', 'ui'],
  moderation: ['core', 'ui'],
  server: ['core'],
};

const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.d\.ts$/.test(entry.name) ? [full] : [];
  });
}

/**
 * esbuild drops type-only imports before it resolves anything, so each file is handed to it
 * with `import type` / `export type … from` / inline `type` specifiers turned into plain
 * imports, and with verbatimModuleSyntax so that an import it would otherwise drop as unused
 * is still resolved. Only the graph is wanted (write: false); packages stay external.
 */
async function importGraph(files: string[]): Promise<Map<string, string[]>> {
  const countTypeImports: esbuild.Plugin = {
    name: 'count-type-imports',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8')
          .replace(/^(\s*)import\s+type\s+/gm, '$1import ')
          .replace(/^(\s*)export\s+type\s+(\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?)\s+from\b/gm, '$1export $2 from')
          .replace(/([{,]\s*)type\s+(?=[\w$]+\s*(?:,|\}|as\b))/g, '$1');
        return { contents: text, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: files,
    bundle: true,
    write: false,
    metafile: true,
    outdir: '/tmp/lantern-import-graph',
    format: 'esm',
    platform: 'neutral',
    packages: 'external',
    // Node built-ins (server code) and asset imports are outside the graph.
    external: ['node:*', '*.css', '*.html'],
    logLevel: 'silent',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    plugins: [countTypeImports],
  });
  const graph = new Map<string, string[]>();
  for (const [input, info] of Object.entries(result.metafile.inputs)) {
    if (!input.startsWith('src/')) continue;
    graph.set(
      input,
      info.imports.filter((i) => !i.external && i.path.startsWith('src/')).map((i) => i.path),
    );
  }
  return graph;
}

/** Every cycle's files (strongly connected components with more than one file, or a self-import). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** `src/<part>/…` → part; a file directly in src/ has none. */
const partOf = (file: string) => file.split('/')[1]!;

function violationsOf(graph: Map<string, string[]>, allowed = ALLOWED_IMPORTS): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    if (/\.test\.tsx?$/.test(from)) continue;
    const part = partOf(from);
    for (const to of targets) {
      const target = partOf(to);
      if (target === part) continue;
      const rule = allowed[part];
      if (!rule) found.push(`${from}: src/${part}/ is not in the import table`);
      else if (!rule.includes(target)) found.push(`${from} imports ${to}: ${part}/ may import only ${rule.join(', ') || 'nothing of ours'}`);
    }
  }
  return found;
}

describe('import graph of src/', () => {
  /** Built once (esbuild over every file of src/); each case gets its own copy. */
  let built: Promise<Map<string, string[]>> | null = null;
  const graphOfSrc = async () => new Map(await (built ??= importGraph(sourceFiles(SRC).map((f) => path.relative(ROOT, f)))));

  it('has no cycle and no import against the README rule', async () => {
    const graph = await graphOfSrc();
    // The graph is really built: the background's start-up file reaches core.
    expect(graph.get('src/background/index.ts')?.some((f) => f.startsWith('src/core/'))).toBe(true);
    expect(graph.size).toBeGreaterThan(200);
    expect({ cycles: cyclesOf(graph), violations: violationsOf(graph) }).toEqual({ cycles: [], violations: [] });
  }, 60_000);

  it('finds an injected cycle and an injected wrong-way import', async () => {
    // The same checks over the real graph with two edges added: core → background (against
    // the table) and back (a cycle, since background imports core).
    const graph = await graphOfSrc();
    const core = 'src/core/rules.ts';
    const background = [...graph.keys()].find((f) => f.startsWith('src/background/') && graph.get(f)!.includes(core))!;
    expect(background).toBeDefined();
    graph.set(core, [...graph.get(core)!, background]);
    expect(cyclesOf(graph).some((c) => c.includes(core) && c.includes(background))).toBe(true);
    expect(violationsOf(graph)).toContain(`${core} imports ${background}: core/ may import only nothing of ours`);
  }, 60_000);
});
