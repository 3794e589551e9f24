/**
 * Abuse limits per account and per network address. Addresses are hashed with a salt that
 * lives only in this process's memory and is replaced daily, so a limit can be kept
 * without an address ever being written anywhere (not in the database, not in logs).
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Limit {
  /** Requests allowed in a burst. */
  burst: number;
  /** Sustained rate: tokens added per hour. */
  perHour: number;
}

export interface RateLimits {
  /** Every request from one address. */
  address: Limit;
  /** Account creation from one address. */
  accountCreation: Limit;
  /** Writes by one account. */
  accountWrites: Limit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  address: { burst: 300, perHour: 18_000 },
  accountCreation: { burst: 5, perHour: 5 },
  accountWrites: { burst: 60, perHour: 240 },
};

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets keyed by opaque strings. */
export class TokenBuckets {
  private buckets = new Map<string, Bucket>();
  constructor(
    private readonly limit: Limit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const perMs = this.limit.perHour / 3_600_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }

  /** Drops buckets that have refilled (they equal a fresh one), keeping memory bounded. */
  sweep(): void {
    const now = this.now();
    const perMs = this.limit.perHour / 3_600_000;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= this.limit.burst) this.buckets.delete(key);
    }
  }

  clear(): void {
    this.buckets.clear();
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** Turns an address into an opaque key; `rotate()` (daily) makes yesterday's keys unlinkable. */
export class AddressHasher {
  private salt = randomBytes(32);

  hash(address: string): string {
    return createHash('sha256').update(this.salt).update(address).digest('base64url').slice(0, 22);
  }

  rotate(): void {
    this.salt = randomBytes(32);
  }
}
