import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { withValuesJoined } from './cli-args.js';

const options = { account: { type: 'string' }, role: { type: 'string' }, 'trust-proxy': { type: 'boolean' } } as const;
const parse = (argv: string[]) => parseArgs({ args: withValuesJoined(argv, options), options, allowPositionals: true });

describe('withValuesJoined', () => {
  it('keeps a value that begins with "-" as the value of its option', () => {
    const secret = `-${'A'.repeat(42)}`;
    // Without it, parseArgs refuses the value as ambiguous.
    expect(() => parseArgs({ args: ['--account', secret], options })).toThrow(/ambiguous/);
    expect(parse(['grant', '--account', secret, '--role', 'moderator']).values).toEqual({ account: secret, role: 'moderator' });
  });

  it('leaves "=" values, booleans, positionals and everything after "--" as they are', () => {
    expect(withValuesJoined(['--account=-x', '--trust-proxy', 'list', '--', '--role', 'y'], options)).toEqual(['--account=-x', '--trust-proxy', 'list', '--', '--role', 'y']);
    expect(parse(['--trust-proxy', 'list']).values).toEqual({ 'trust-proxy': true });
  });

  it('an option left without a value is still refused', () => {
    expect(() => parse(['grant', '--account'])).toThrow(/argument missing/);
  });
});
