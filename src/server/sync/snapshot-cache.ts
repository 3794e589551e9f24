/**
 * The snapshot is built from the database at most every `maxAgeMs` (when something
 * changed), encoded and gzipped once, and served as those same prebuilt bytes to everyone
 * until the next build: no serialisation or compression per request, which is what makes
 * it cacheable by a CDN and cheap to serve. Clients catch up from its version with the
 * delta feed.
 *
 * Several API processes (issue 14): the bytes depend only on the version — the rows in key
 * order as stored, the head, and a fixed gzip level — so every process serves the same
 * bytes under the same ETag for one version. `invalidate()` (on a cluster notification:
 * new rules, a finished recompute) makes the next request look at the database again.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { formatVersionToken, prefixLengthFor, SYNC_FORMAT } from '../../core/sync-protocol.js';
import { registerCache } from './invalidation.js';
import type { Storage, SyncHead } from '../storage/storage.js';

const gzipAsync = promisify(gzip);

export interface BuiltSnapshot {
  epoch: string;
  seq: number;
  rulesVersion: number;
  /** The identity body's ETag; `gzipEtag` names the gzip-encoded bytes (a different representation). */
  etag: string;
  gzipEtag: string;
  identity: Buffer;
  gzipped: Buffer;
  builtAt: number;
  /** The cache generation it was built or last confirmed in (see `invalidate`). */
  generation: number;
}

/** The body text is assembled from stored canonical rows: no parse, no re-serialisation. */
function snapshotText(head: SyncHead, rows: readonly string[]): string {
  return (
    `{"format":${SYNC_FORMAT},"version":${JSON.stringify(formatVersionToken(head.epoch, head.seq))},` +
    `"rulesVersion":${head.rulesVersion},"bucketPrefixLength":${prefixLengthFor(head.checksum.rows)},` +
    `"checksum":${JSON.stringify(head.checksum)},"rows":[${rows.join(',')}]}`
  );
}

/**
 * The one boundary with the wire format: the snapshot body for one version, as bytes.
 * Must be a pure function of (head, rows) — byte-identical snapshots across processes rest on it.
 */
function encodeSnapshotBody(head: SyncHead, rows: readonly string[]): Buffer {
  return Buffer.from(snapshotText(head, rows), 'utf8');
}

/** Fixed, so equal bodies compress to equal bytes in every process (same zlib). */
const SNAPSHOT_GZIP_LEVEL = 9;

/**
 * Strong ETags, one per representation: the version (epoch.seq), the rules version (a new
 * rules version changes the body without a new seq), and a digest of the bytes, so a
 * server with another zlib never hands out different bytes under an equal tag.
 */
function etagFor(head: SyncHead, bytes: Buffer, suffix: string): string {
  const digest = createHash('sha256').update(bytes).digest('base64url').slice(0, 12);
  return `"${head.epoch}.${head.seq}.r${head.rulesVersion}.${digest}${suffix}"`;
}

/**
 * The tag an `If-None-Match` header matches (weak comparison, as RFC 9110 asks for it),
 * among this snapshot's two representations; null when none does.
 */
export function matchingEtag(header: string | undefined, snapshot: Pick<BuiltSnapshot, 'etag' | 'gzipEtag'>): string | null {
  if (!header) return null;
  if (header.trim() === '*') return snapshot.etag;
  for (const raw of header.split(',')) {
    const tag = raw.trim().replace(/^W\//, '');
    if (tag === snapshot.etag || tag === snapshot.gzipEtag) return tag;
  }
  return null;
}

export class SnapshotCache {
  private current: BuiltSnapshot | null = null;
  /** The build in progress, and the generation it started in: only requests of that generation join it. */
  private building: { generation: number; promise: Promise<BuiltSnapshot> } | null = null;
  private generation = 0;

  constructor(
    private readonly storage: Storage,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    registerCache(storage, this);
  }

  /** The next request checks the database (and rebuilds if the version moved). */
  invalidate(): void {
    this.generation += 1;
  }

  async get(): Promise<BuiltSnapshot> {
    const current = this.current;
    if (current && current.generation === this.generation && this.now() - current.builtAt < this.maxAgeMs) return current;
    if (current) {
      const generation = this.generation;
      const head = await this.storage.syncHead();
      if (head.epoch === current.epoch && head.seq === current.seq && head.rulesVersion === current.rulesVersion) {
        current.builtAt = this.now();
        current.generation = generation;
        return current;
      }
    }
    // One build per generation; everyone asking meanwhile waits for the same bytes. A request
    // after an invalidation never joins a build that began before it (it may predate the change).
    if (this.building?.generation === this.generation) return this.building.promise;
    const building = { generation: this.generation, promise: this.build() };
    this.building = building;
    void building.promise.finally(() => {
      if (this.building === building) this.building = null;
    }).catch(() => undefined);
    return building.promise;
  }

  private async build(): Promise<BuiltSnapshot> {
    // Read before the database: an invalidation arriving during the build marks it stale.
    const generation = this.generation;
    const { head, rows } = await this.storage.snapshot();
    const identity = encodeSnapshotBody(head, rows);
    const gzipped = await gzipAsync(identity, { level: SNAPSHOT_GZIP_LEVEL });
    const built: BuiltSnapshot = {
      epoch: head.epoch,
      seq: head.seq,
      rulesVersion: head.rulesVersion,
      etag: etagFor(head, identity, ''),
      gzipEtag: etagFor(head, gzipped, '-gzip'),
      identity,
      gzipped,
      builtAt: this.now(),
      generation,
    };
    // An older build finishing after a newer one does not replace it.
    if (!this.current || this.current.generation <= generation) this.current = built;
    return built;
  }
}
