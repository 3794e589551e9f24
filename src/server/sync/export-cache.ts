/**
 * The public export: gzipped NDJSON anyone may mirror — a `meta` line, one `summary` line
 * per requester, one `review` line per visible review. No account ids, no held or hidden
 * reviews, no reports or flags (those name accounts' actions). Rebuilt at most every
 * `maxAgeMs`, so a crowd of mirrors costs one build; `invalidate()` (a cluster
 * notification: new rules, a finished recompute) makes the next request rebuild.
 *
 * Its `meta` line says when it was generated, so two processes' exports of one version
 * differ in bytes: the ETag therefore carries a digest of the bytes (strong and honest),
 * not only the version.
 */
import { createHash } from 'node:crypto';
import { createGzip } from 'node:zlib';
import { decodeSummary, EncodedSummary, formatVersionToken } from '../../core/sync-protocol.js';
import { registerCache } from './invalidation.js';
import type { Storage } from '../storage/storage.js';

const EXPORT_FORMAT = 1;

export class ExportCache {
  private current: { gzipped: Buffer; builtAt: number; etag: string; generation: number } | null = null;
  private building: Promise<{ gzipped: Buffer; builtAt: number; etag: string; generation: number }> | null = null;
  private generation = 0;

  constructor(
    private readonly storage: Storage,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    registerCache(storage, this);
  }

  invalidate(): void {
    this.generation += 1;
  }

  async get() {
    const current = this.current;
    if (current && current.generation === this.generation && this.now() - current.builtAt < this.maxAgeMs) return current;
    this.building ??= this.build().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async build() {
    const generation = this.generation;
    const head = await this.storage.syncHead();
    const rules = this.storage.rules();
    const gzip = createGzip({ level: 6 });
    const chunks: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<void>((resolve, reject) => {
      gzip.on('end', resolve);
      gzip.on('error', reject);
    });
    const write = (line: unknown) => gzip.write(`${JSON.stringify(line)}\n`);
    const version = formatVersionToken(head.epoch, head.seq);
    write({ type: 'meta', format: EXPORT_FORMAT, version, generatedAt: new Date(this.now()).toISOString(), rules });
    for await (const chunk of this.storage.exportChunks()) {
      for (const text of chunk.summaries) write({ type: 'summary', summary: decodeSummary(EncodedSummary.parse(JSON.parse(text)), rules) });
      for (const review of chunk.reviews) write({ type: 'review', review });
      // Let the gzip stream drain between chunks rather than buffering the whole export twice.
      await new Promise((resolve) => setImmediate(resolve));
    }
    gzip.end();
    await done;
    const gzipped = Buffer.concat(chunks);
    const digest = createHash('sha256').update(gzipped).digest('base64url').slice(0, 12);
    const built = { gzipped, builtAt: this.now(), etag: `"export-${version}.r${rules.version}.${digest}"`, generation };
    this.current = built;
    return built;
  }
}
