/**
 * The snapshot is built from the database at most every `maxAgeMs` (when something
 * changed), gzipped once, and served as the same bytes to everyone until the next build:
 * that is what makes it cacheable by a CDN and cheap to serve. Clients catch up from
 * its version with the delta feed.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { formatVersionToken, prefixLengthFor, SYNC_FORMAT } from '../../core/sync-protocol.js';
import type { Storage, SyncHead } from '../storage/storage.js';

const gzipAsync = promisify(gzip);

export interface BuiltSnapshot {
  seq: number;
  etag: string;
  gzipped: Buffer;
  builtAt: number;
}

/** The body text is assembled from stored canonical rows: no parse, no re-serialisation. */
export function snapshotText(head: SyncHead, rows: readonly string[]): string {
  return (
    `{"format":${SYNC_FORMAT},"version":${JSON.stringify(formatVersionToken(head.epoch, head.seq))},` +
    `"rulesVersion":${head.rulesVersion},"bucketPrefixLength":${prefixLengthFor(head.checksum.rows)},` +
    `"checksum":${JSON.stringify(head.checksum)},"rows":[${rows.join(',')}]}`
  );
}

export class SnapshotCache {
  private current: BuiltSnapshot | null = null;
  private building: Promise<BuiltSnapshot> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<BuiltSnapshot> {
    const current = this.current;
    if (current && this.now() - current.builtAt < this.maxAgeMs) return current;
    if (current && (await this.storage.syncHead()).seq === current.seq) {
      current.builtAt = this.now();
      return current;
    }
    // One build at a time; everyone asking meanwhile waits for the same bytes.
    this.building ??= this.build().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async build(): Promise<BuiltSnapshot> {
    const { head, rows } = await this.storage.snapshot();
    const gzipped = await gzipAsync(snapshotText(head, rows), { level: 9 });
    const built = { seq: head.seq, etag: `"${head.epoch}.${head.seq}"`, gzipped, builtAt: this.now() };
    this.current = built;
    return built;
  }
}
