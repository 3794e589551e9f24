/**
 * The public export: gzipped NDJSON anyone may mirror — a `meta` line, one `summary` line
 * per requester, one `review` line per visible review. No account ids, no held or hidden
 * reviews, no reports or flags (those name accounts' actions). Rebuilt at most every
 * `maxAgeMs`, so a crowd of mirrors costs one build.
 */
import { createGzip } from 'node:zlib';
import { decodeSummary, EncodedSummary, formatVersionToken } from '../../core/sync-protocol.js';
import type { Storage } from '../storage/storage.js';

export const EXPORT_FORMAT = 1;

export class ExportCache {
  private current: { gzipped: Buffer; builtAt: number; etag: string } | null = null;
  private building: Promise<{ gzipped: Buffer; builtAt: number; etag: string }> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get() {
    if (this.current && this.now() - this.current.builtAt < this.maxAgeMs) return this.current;
    this.building ??= this.build().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async build() {
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
    const built = { gzipped: Buffer.concat(chunks), builtAt: this.now(), etag: `"export-${version}"` };
    this.current = built;
    return built;
  }
}
