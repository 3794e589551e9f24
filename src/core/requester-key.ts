/**
 * Requester keys: `platform:id`, the one way every part of Lantern names a requester.
 *
 * MTurk ids are `A` + 11–20 uppercase alphanumerics (observed lengths 12–21 in total).
 * Worker ids have the same shape, which is why adapters only take ids from a
 * `/requesters/<ID>` link or a `requester_id` field, never from free text.
 * Prolific researcher ids are 24 lowercase hex characters (Mongo ObjectIds). Where a
 * Prolific page shows only a researcher's name, the key is `prolific-name:<name>`
 * (normalized, percent-encoded): keyed by name, and marked so by its prefix.
 */
import * as z from 'zod/mini';

const PLATFORMS = ['mturk', 'prolific'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const MTURK_REQUESTER_ID = /^A[0-9A-Z]{11,20}$/;
export const PROLIFIC_RESEARCHER_ID = /^[0-9a-f]{24}$/;

/** Every valid key, whole (summary-text.ts embeds its source in the row grammar). */
export const KEY_PATTERN = /^(?:mturk:A[0-9A-Z]{11,20}|prolific:[0-9a-f]{24}|prolific-name:[A-Za-z0-9%._~!*'()-]{1,150})$/;

export const RequesterKey = z
  .string()
  .check(
    z.maxLength(170),
    z.regex(KEY_PATTERN, 'must be "mturk:A…" (12–21 uppercase letters and digits), "prolific:<24 hex>" or "prolific-name:<name>"'),
  );
export type RequesterKey = z.infer<typeof RequesterKey>;

export function requesterKey(platform: Platform, id: string): RequesterKey | null {
  const pattern = platform === 'mturk' ? MTURK_REQUESTER_ID : PROLIFIC_RESEARCHER_ID;
  return pattern.test(id) ? (`${platform}:${id}` as RequesterKey) : null;
}

/** The key of a Prolific researcher known only by name (the page gave no id). */
export function prolificNameKey(name: string): RequesterKey | null {
  const normalized = name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  if (!normalized) return null;
  const key = `prolific-name:${encodeURIComponent(normalized)}`;
  return KEY_PATTERN.test(key) ? (key as RequesterKey) : null;
}

export function isKeyedByName(key: RequesterKey): boolean {
  return key.startsWith('prolific-name:');
}
