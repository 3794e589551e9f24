/**
 * Benchmarks' results as data: each bench records its figures and targets here, prints
 * whether each target was met, and writes one JSON file `bench-results/<bench>.json`
 * (git-ignored) so runs can be compared over time.
 *
 *   const results = new BenchResults('page', { quick });
 *   results.figure('page start, 100k requesters', 3.1, 'ms');
 *   results.target('page start ≤ 5 ms', 3.1, '<=', 5, 'ms');
 *   results.write();   // prints the targets table, writes bench-results/page.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

export type Comparison = '<=' | '>=';

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
}

export interface BenchTarget extends BenchFigure {
  comparison: Comparison;
  limit: number;
  met: boolean;
}

export const RESULTS_DIR = 'bench-results';

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export class BenchResults {
  readonly figures: BenchFigure[] = [];
  readonly targets: BenchTarget[] = [];
  /** Free-form tables (rows of cells) kept in the JSON beside the figures. */
  readonly tables: Record<string, Array<Record<string, string | number | null>>> = {};

  constructor(
    readonly bench: string,
    readonly options: { quick?: boolean; extra?: Record<string, unknown> } = {},
  ) {}

  figure(name: string, value: number, unit: string): void {
    this.figures.push({ name, value, unit });
  }

  /** Records a target; returns whether it was met. */
  target(name: string, value: number, comparison: Comparison, limit: number, unit: string): boolean {
    const met = Number.isFinite(value) && (comparison === '<=' ? value <= limit : value >= limit);
    this.targets.push({ name, value, unit, comparison, limit, met });
    return met;
  }

  table(name: string, rows: Array<Record<string, string | number | null>>): void {
    this.tables[name] = rows;
  }

  /** Prints the targets with met / MISSED and writes the JSON file; returns its path. */
  write(): string {
    if (this.targets.length) {
      console.log(`\nTargets (${this.bench}${this.options.quick ? ', quick run: figures are not the targets’ scale' : ''}):`);
      const width = Math.max(...this.targets.map((t) => t.name.length));
      for (const t of this.targets) {
        const shown = `${round(t.value)} ${t.unit} (target ${t.comparison} ${t.limit} ${t.unit})`;
        console.log(`  ${t.met ? 'met    ' : 'MISSED '} ${t.name.padEnd(width)}  ${shown}`);
      }
    }
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${this.bench}.json`);
    const body = {
      bench: this.bench,
      at: new Date().toISOString(),
      commit: gitCommit(),
      quick: Boolean(this.options.quick),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? null, loadavg: loadavg(), node: process.version },
      ...this.options.extra,
      figures: this.figures,
      targets: this.targets,
      tables: this.tables,
    };
    writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
    console.log(`Results written to ${file}`);
    return file;
  }
}

function round(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}
