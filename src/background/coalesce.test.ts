import { describe, expect, it } from 'vitest';
import { coalesced } from './coalesce.js';

describe('coalesced', () => {
  it('runs one at a time; calls during a run fold into one more run; errors go to onError', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const errors: unknown[] = [];
    const run = coalesced(async () => {
      runs += 1;
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
      if (runs === 3) throw new Error('third');
      return runs;
    }, (error) => errors.push(error));
    const first = run();
    const second = run();
    const third = run();
    expect(second).toBe(first); // the same promise: resolved after the folded run
    release();
    expect(await first).toBe(2);
    expect(await third).toBe(2);
    expect(runs).toBe(2);
    expect(await run()).toBeNull(); // the third run failed: reported, not thrown
    expect(errors).toHaveLength(1);
  });
});
