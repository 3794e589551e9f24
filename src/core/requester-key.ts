/**
 * Requester keys: `platform:id`, the one way every part of Lantern names a requester.
 *
 * MTurk ids are `A` + 11–20 uppercase alphanumerics (observed lengths 12–21 in total).
 * Worker ids have the same shape, which is why adapters only take ids from a
 * `/requesters/<ID>` link or a `requester_id` field, never from free text.
 * Prolific researcher ids are 24 lowercase hex characters (Mongo ObjectIds).
 */
import * as z from 'zod/mini';

export const PLATFORMS = ['mturk', 'prolific'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const MTURK_REQUESTER_ID = /^A[0-9A-Z]{11,20}$/;
export const PROLIFIC_RESEARCHER_ID = /^[0-9a-f]{24}$/;

const KEY_PATTERN = /^(?:mturk:A[0-9A-Z]{11,20}|prolific:[0-9a-f]{24})$/;

export const RequesterKey = z
  .string()
  .check(
    z.maxLength(40),
    z.regex(KEY_PATTERN, 'must be "mturk:A…" (12–21 uppercase letters and digits) or "prolific:<24 hex>"'),
  );
export type RequesterKey = z.infer<typeof RequesterKey>;

export function requesterKey(platform: Platform, id: string): RequesterKey | null {
  const pattern = platform === 'mturk' ? MTURK_REQUESTER_ID : PROLIFIC_RESEARCHER_ID;
  return pattern.test(id) ? (`${platform}:${id}` as RequesterKey) : null;
}

export function splitKey(key: RequesterKey): { platform: Platform; id: string } {
  const colon = key.indexOf(':');
  return { platform: key.slice(0, colon) as Platform, id: key.slice(colon + 1) };
}
