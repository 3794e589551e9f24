import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { review } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { AddressHasher, TokenBuckets } from './rate-limit.js';

describe('token buckets', () => {
  it('allow a burst, then refill at the sustained rate, and say how long to wait', () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 2, perHour: 3600 }, () => now);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
    expect(buckets.take('b')).toBe(0);
    now += 1000;
    expect(buckets.take('a')).toBe(0);
    now += 10_000;
    buckets.sweep();
    expect(buckets.size).toBe(0);
  });

  it('hashes addresses with a salt that rotation replaces', () => {
    const hasher = new AddressHasher();
    const before = hasher.hash('203.0.113.9');
    expect(hasher.hash('203.0.113.9')).toBe(before);
    expect(before).not.toContain('203');
    hasher.rotate();
    expect(hasher.hash('203.0.113.9')).not.toBe(before);
  });
});

describe('abuse limits on a running server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite', {
      rateLimits: { address: { burst: 40, perHour: 1 }, accountCreation: { burst: 2, perHour: 1 }, accountWrites: { burst: 3, perHour: 1 } },
    });
  });
  afterAll(() => t?.close());

  it('limits account creation per address, writes per account, and all requests per address, with Retry-After', async () => {
    const secret = await t.account();
    await t.account();
    const third = await t.request('POST', '/v1/accounts');
    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    // Our error shape, naming what the limit counts: the address here, the account below.
    expect(third.json).toMatchObject({ error: 'rate_limited', field: '(request)' });

    for (let i = 0; i < 3; i++) expect((await t.request('POST', '/v1/reviews', { secret, body: review() })).status).toBe(201);
    const fourth = await t.request('POST', '/v1/reviews', { secret, body: review() });
    expect(fourth).toMatchObject({ status: 429, json: { error: 'rate_limited', field: 'Authorization' } });

    let status = 200;
    for (let i = 0; i < 40 && status !== 429; i++) status = (await t.request('GET', '/v1/health')).status;
    expect(status).toBe(429);
  });
});
