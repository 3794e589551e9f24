/**
 * The migrations' numbering: versions 1..N with no gap and no repeat, in order, each file
 * named after its number. `migrate` applies everything above the database's MAX(version),
 * so a gap (a missing 006) would leave a later migration numbered in it unapplied forever.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations/index.js';

describe('migrations', () => {
  it('are numbered 1..N, contiguous and strictly increasing', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('are all listed, one file each, its name starting with its zero-padded number', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
    const files = readdirSync(dir)
      .filter((f) => /^\d{3}_.*\.ts$/.test(f))
      .sort();
    expect(files.map((f) => Number(f.slice(0, 3)))).toEqual(MIGRATIONS.map((m) => m.version));
  });
});
