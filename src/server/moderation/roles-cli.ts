/**
 * `npm run moderator -- grant|revoke|list ...`: the only way to give or take a moderation
 * role. Run on the server machine against its database; there is no API for it.
 *
 *   npm run moderator -- grant  --role moderator|admin --account <ref> [--name <pseudonym>] [--database <path or url>]
 *   npm run moderator -- revoke --account <ref> [--database ...]
 *   npm run moderator -- list   [--database ...]
 *
 * `<ref>` is the account's reference: the SHA-256 (hex) of its secret, which the moderation
 * page shows after sign-in. The secret itself is accepted too (and hashed at once), but
 * keep it out of shell history: prefer the reference. Secrets are never printed.
 */
import { parseArgs } from 'node:util';
import { withValuesJoined } from '../cli-args.js';
import { MODERATION_ROLES, type ModerationRole } from '../../core/moderation-protocol.js';
import { sha256Hex } from '../http/guards.js';
import { DEFAULT_SQLITE_PATH, openStorage } from '../storage/sql-storage.js';

const REFERENCE = /^[0-9a-f]{64}$/;
const SECRET = /^[A-Za-z0-9_-]{43,128}$/;

/** The account reference of a secret (what the page shows and the command takes). */
function accountReference(secretOrReference: string): string | null {
  if (REFERENCE.test(secretOrReference)) return secretOrReference;
  if (SECRET.test(secretOrReference)) return sha256Hex(secretOrReference);
  return null;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = 'usage: npm run moderator -- grant --role moderator|admin --account <reference> [--name <pseudonym>] [--database <db>]\n' +
  '       npm run moderator -- revoke --account <reference> [--database <db>]\n' +
  '       npm run moderator -- list [--database <db>]';

/** Returns the exit code. */
export async function runModeratorCommand(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    const options = { role: { type: 'string' }, account: { type: 'string' }, name: { type: 'string' }, database: { type: 'string' } } as const;
    parsed = parseArgs({ args: withValuesJoined(argv, options), allowPositionals: true, options });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (!command || !['grant', 'revoke', 'list'].includes(command) || positionals.length > 1) {
    io.err(USAGE);
    return 2;
  }
  if (values.name !== undefined && !/^[A-Za-z0-9_.-]{3,40}$/.test(values.name)) {
    io.err('--name: 3–40 letters, digits, ".", "_" or "-"');
    return 2;
  }
  let reference: string | null = null;
  if (command !== 'list') {
    // Never echo what was given: it may be a secret.
    reference = values.account ? accountReference(values.account) : null;
    if (!reference) {
      io.err('--account: give the account reference (64 hex characters, shown on the moderation page after sign-in)');
      return 2;
    }
  }
  let role: ModerationRole | null = null;
  if (command === 'grant') {
    if (!values.role || !(MODERATION_ROLES as readonly string[]).includes(values.role)) {
      io.err('--role: moderator or admin');
      return 2;
    }
    role = values.role as ModerationRole;
  }

  const storage = await openStorage(values.database ?? env.LANTERN_DATABASE ?? DEFAULT_SQLITE_PATH);
  try {
    const now = Date.now();
    if (command === 'list') {
      const roles = await storage.moderation.listRoles();
      if (roles.length === 0) io.out('no moderators');
      for (const r of roles) io.out(`${r.pseudonym}\t${r.role}\tgranted ${new Date(r.grantedAt).toISOString()}\t${r.reference}`);
      return 0;
    }
    const account = await storage.accountBySecretHash(reference!);
    if (!account) {
      io.err('no account with that reference on this database');
      return 1;
    }
    if (command === 'grant') {
      const { pseudonym } = await storage.moderation.grantRole(account.id, role!, values.name ?? null, now);
      io.out(`granted ${role} to ${reference!.slice(0, 12)}… as "${pseudonym}"`);
      return 0;
    }
    const revoked = await storage.moderation.revokeRole(account.id, now);
    io.out(revoked ? `revoked the role of "${revoked.pseudonym}"` : 'that account had no role');
    return 0;
  } catch (error) {
    io.err(`failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await storage.close();
  }
}
