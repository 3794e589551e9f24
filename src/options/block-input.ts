/**
 * What a worker may paste to block a requester (issue 12): a key as Lantern writes it
 * (`mturk:A…`, `prolific:<24 hex>`), a bare id as the platform shows it in its addresses
 * (MTurk's `A…`, Prolific's 24 hex digits), or the whole address of a requester's page
 * (worker.mturk.com/requesters/<id>/…, a contact link with `requester_id`,
 * app.prolific.com/…/researcher(s)/<id>). Anything else is null: the form says so in words.
 */
import { MTURK_REQUESTER_ID, PROLIFIC_RESEARCHER_ID, RequesterKey, requesterKey } from '../core/requester-key.js';

export function keyFromInput(input: string): RequesterKey | null {
  const text = input.trim();
  if (!text) return null;
  const asKey = RequesterKey.safeParse(text);
  if (asKey.success) return asKey.data;
  if (MTURK_REQUESTER_ID.test(text)) return requesterKey('mturk', text);
  if (PROLIFIC_RESEARCHER_ID.test(text.toLowerCase())) return requesterKey('prolific', text.toLowerCase());
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase();
  if (host === 'worker.mturk.com' || host.endsWith('.mturk.com')) {
    const fromPath = /\/requesters\/(A[0-9A-Z]{11,20})(?:\/|$)/.exec(url.pathname)?.[1];
    const fromQuery = url.searchParams.get('requester_id') ?? url.searchParams.get('hit_type_message[requester_id]');
    return requesterKey('mturk', fromPath ?? fromQuery ?? '');
  }
  if (host === 'app.prolific.com' || host.endsWith('.prolific.com') || host === 'prolific.com') {
    const id = /\/researchers?\/([0-9a-fA-F]{24})(?:\/|$)/.exec(url.pathname)?.[1];
    return id ? requesterKey('prolific', id.toLowerCase()) : null;
  }
  return null;
}
