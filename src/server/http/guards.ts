/**
 * What every request passes before a route runs: the origin check (CORS is only for the
 * extension), the per-address limit, and for writes the account and its limit.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import * as z from 'zod/mini';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '../../core/sync-protocol.js';
import type { AccountRecord, Storage, WriteContext } from '../storage/storage.js';
import { HttpError, parseOr400 } from './errors.js';
import { AddressHasher, TokenBuckets, type RateLimits } from './rate-limit.js';

export const DEFAULT_CORS_ORIGINS = ['chrome-extension://*', 'moz-extension://*'];

/** `*` matches one origin label (an extension id or a Firefox UUID). */
export function originMatcher(patterns: readonly string[]): (origin: string) => boolean {
  const regexes = patterns.map(
    (p) => new RegExp(`^${p.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('[A-Za-z0-9-]+')}$`),
  );
  return (origin) => regexes.some((r) => r.test(origin));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const Bearer = z.string().check(z.regex(/^Bearer [A-Za-z0-9_-]{43,128}$/, 'expected "Bearer <account secret>"'));

export class Guards {
  readonly addresses = new AddressHasher();
  private readonly perAddress: TokenBuckets | null;
  private readonly accountCreation: TokenBuckets | null;
  private readonly accountWrites: TokenBuckets | null;

  constructor(
    private readonly storage: Storage,
    limits: RateLimits | false,
    private readonly now: () => number,
  ) {
    this.perAddress = limits ? new TokenBuckets(limits.address) : null;
    this.accountCreation = limits ? new TokenBuckets(limits.accountCreation) : null;
    this.accountWrites = limits ? new TokenBuckets(limits.accountWrites) : null;
  }

  /** `field`: what the limit is counted by — the account (`Authorization`) or the request's origin (`(request)`). */
  private limit(buckets: TokenBuckets | null, key: string, what: string, field: string) {
    const wait = buckets?.take(key) ?? 0;
    if (wait > 0) throw new HttpError(429, 'rate_limited', `too many ${what}; retry after ${wait} s`, field, { 'retry-after': String(wait) });
  }

  /** The address is hashed here and the hash used only as a map key in memory. */
  checkAddress(request: FastifyRequest): void {
    if (this.perAddress) this.limit(this.perAddress, this.addresses.hash(request.ip), 'requests from your network', '(request)');
  }

  checkAccountCreation(request: FastifyRequest): void {
    if (this.accountCreation) this.limit(this.accountCreation, this.addresses.hash(request.ip), 'new accounts from your network', '(request)');
  }

  async account(request: FastifyRequest): Promise<AccountRecord> {
    const header = request.headers.authorization;
    if (header === undefined) throw new HttpError(401, 'unauthorized', 'send Authorization: Bearer <account secret>', 'Authorization');
    const bearer = Bearer.safeParse(header);
    if (!bearer.success) throw new HttpError(401, 'unauthorized', 'expected "Bearer <account secret>"', 'Authorization');
    const account = await this.storage.accountBySecretHash(sha256Hex(bearer.data.slice('Bearer '.length)));
    if (!account) throw new HttpError(401, 'unauthorized', 'unknown account secret', 'Authorization');
    return account;
  }

  /** Authenticates, applies the account's write limit, and reads the idempotency key. */
  async writeContext(request: FastifyRequest, input: unknown): Promise<WriteContext> {
    const account = await this.account(request);
    if (account.bannedAt !== null) throw new HttpError(403, 'account_banned', 'this account was banned by a moderator', 'Authorization');
    if (account.mutedUntil !== null && account.mutedUntil > this.now()) {
      const until = new Date(account.mutedUntil).toISOString();
      throw new HttpError(403, 'account_muted', `this account was muted by a moderator until ${until}`, 'Authorization');
    }
    this.limit(this.accountWrites, account.id, 'writes from your account', 'Authorization');
    const key = parseOr400(IdempotencyKey, request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()], IDEMPOTENCY_KEY_HEADER);
    const route = request.routeOptions.url ?? '';
    const params = JSON.stringify(request.params ?? {});
    return {
      account,
      idempotencyKey: key,
      requestHash: sha256Hex(`${request.method} ${route} ${params} ${JSON.stringify(input ?? null)}`),
      now: this.now(),
    };
  }

  /** Daily: a new salt, and every bucket keyed by the old one forgotten. */
  rotate(): void {
    this.addresses.rotate();
    this.perAddress?.clear();
    this.accountCreation?.clear();
  }

  sweep(): void {
    this.perAddress?.sweep();
    this.accountCreation?.sweep();
    this.accountWrites?.sweep();
  }
}
