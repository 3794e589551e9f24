/**
 * Command-line arguments for `node:util` parseArgs, with each string option joined to the
 * argument after it (`--account -Xy…` → `--account=-Xy…`). An account secret is base64url,
 * so one in 64 begins with "-", and parseArgs refuses such a value as "ambiguous" (it might
 * be a forgotten value followed by another option): the operator who pasted their secret
 * got a usage error. A value written with "=" is left as it is.
 */
export function withValuesJoined(argv: readonly string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const takesValue = new Set(Object.entries(options).filter(([, option]) => option.type === 'string').map(([name]) => `--${name}`));
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      joined.push(...argv.slice(i));
      break;
    }
    if (takesValue.has(arg) && i + 1 < argv.length) {
      joined.push(`${arg}=${argv[i + 1]}`);
      i += 1;
    } else joined.push(arg);
  }
  return joined;
}
