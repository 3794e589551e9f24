/**
 * Runs in the page's own JavaScript world on app.prolific.com (manifest: world MAIN,
 * document_start). Prolific's pages show a researcher's name but not their id; the id is
 * in the study list the page itself loads from its API. This script reads that response
 * as the page receives it — it sends nothing and asks for nothing — and leaves
 * study → researcher pairs in an attribute the content script reads.
 * It must stay tiny and dependency-free: it runs before the page's own code.
 */
// A module to TypeScript (its names stay its own, and a unit test can import it); the build
// wraps it in an IIFE, so nothing of this shows in the page. Its one import has no imports.
import { cutText } from '../core/text-cut.js';

const ATTRIBUTE = 'data-lantern-researchers';
const STUDIES_API = /^https:\/\/internal-api\.prolific\.com\/api\/v1\/participant\/studies\//;
const HEX24 = /^[0-9a-f]{24}$/;

type Pairs = Record<string, [researcherId: string, researcherName: string]>;

function record(body: unknown): void {
  const results = (body as { results?: unknown } | null)?.results;
  const list = Array.isArray(results) ? results : [body];
  const pairs: Pairs = JSON.parse(document.documentElement.getAttribute(ATTRIBUTE) ?? '{}') as Pairs;
  for (const study of list) {
    const s = study as { id?: unknown; researcher?: { id?: unknown; name?: unknown } } | null;
    const researcher = s?.researcher;
    if (typeof s?.id === 'string' && typeof researcher?.id === 'string' && HEX24.test(researcher.id)) {
      pairs[s.id] = [researcher.id, typeof researcher.name === 'string' ? cutText(researcher.name, 200) : ''];
    }
  }
  document.documentElement.setAttribute(ATTRIBUTE, JSON.stringify(pairs));
}

const pageFetch = window.fetch;
window.fetch = async function lanternObservedFetch(this: unknown, ...args: Parameters<typeof fetch>) {
  const response = await pageFetch.apply(this, args);
  try {
    if (STUDIES_API.test(response.url) && response.ok) record(await response.clone().json());
  } catch {
    // Not JSON, or another shape: nothing to learn, and the page must not notice.
  }
  return response;
} as typeof fetch;
