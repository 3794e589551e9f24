/**
 * The baseline of `bench:page`, bundled for a plain page (no extension): the way earlier
 * tools worked — scan the page, one HTTP lookup per scan, then draw — but drawing with
 * Lantern's own badge code (features/badges.ts: the same hosts, shadow roots, words and
 * stylesheet), so the bench's ratio measures the lookup alone, not two ways of drawing.
 *
 * The page supplies `globalThis.browser.i18n` (the bench's shim over en/messages.json)
 * before this bundle runs: the badge words come from the extension's strings.
 */
import type { BadgeBrief } from '../src/core/badge-brief.js';
import type { RequesterKey } from '../src/core/requester-key.js';
import { badges } from '../src/content/features/badges.js';
import type { ContentActions } from '../src/content/features/types.js';
import { adapterFor } from '../src/platforms/index.js';

const MTURK = new URL('https://worker.mturk.com/');
const adapter = adapterFor(MTURK)!;
const actions: ContentActions = {
  loadReviews: async () => ({ reviews: null, error: null }),
  openForm: () => undefined,
  block: async () => undefined,
  loadCard: async () => undefined,
};

/** One scan, one lookup of the requesters not drawn yet, then every badge drawn; resolves when drawn. */
export async function lookUpAndDraw(api: string): Promise<void> {
  const scan = adapter.scan(document, MTURK);
  const keys = [...new Set(scan.spots.map((spot) => spot.key))];
  // POST: a thousand keys make a query string longer than a server takes in a header.
  const response = await fetch(`${api}/lookup`, { method: 'POST', body: keys.join(',') });
  const text = await response.text();
  if (!response.ok) throw new Error(`lookup: ${response.status} ${text.slice(0, 200)}`);
  const answer = JSON.parse(text) as Record<RequesterKey, BadgeBrief>;
  const briefs = new Map(Object.entries(answer) as [RequesterKey, BadgeBrief][]);
  badges.apply({ doc: document, adapter, page: scan.page, spots: scan.spots, results: new Map(), briefs, filterMode: 'off', actions });
}
