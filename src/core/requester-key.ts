/**
 * Requester keys: `platform:id`, the one way every part of Lantern names a requester.
 * The platforms and their id shapes are in core/platforms.ts; the key pattern, its
 * refusal and the checks here are built from that table. Where a platform's page shows
 * only a requester's name (`nameKeys`), the key is `<platform>-name:<name>` (normalized,
 * percent-encoded): keyed by name, and marked so by its prefix.
 */
import * as z from 'zod/mini';
import { PLATFORM_IDS, PLATFORMS, type PlatformId } from './platforms.js';

export type Platform = PlatformId;

/** What follows `<platform>-name:`: a normalized name, percent-encoded. */
const NAME_PART = "[A-Za-z0-9%._~!*'()-]{1,150}";

const namePlatforms = PLATFORM_IDS.filter((platform) => PLATFORMS[platform].nameKeys);

// The key pattern below splices each platform's id pattern in without its anchors: a
// pattern with flags, without `^…$` or with an alternation would splice wrong, so the
// table may not hold one (checked once, when this module loads).
for (const platform of PLATFORM_IDS) {
  const { source, flags } = PLATFORMS[platform].requesterId;
  if (flags || !source.startsWith('^') || !source.endsWith('$') || source.includes('|')) {
    throw new Error(`core/platforms.ts: ${platform}'s requesterId must be /^…$/ with no flags and no "|"`);
  }
}

/** Every valid key, whole (summary-text.ts embeds its source in the row grammar). */
export const KEY_PATTERN = new RegExp(
  `^(?:${[
    ...PLATFORM_IDS.map((platform) => `${platform}:${PLATFORMS[platform].requesterId.source.slice(1, -1)}`),
    ...namePlatforms.map((platform) => `${platform}-name:${NAME_PART}`),
  ].join('|')})$`,
);

const keyForms = [...PLATFORM_IDS.map((platform) => PLATFORMS[platform].keyForm), ...namePlatforms.map((platform) => `"${platform}-name:<name>"`)];

/** `must be "mturk:A…" (…), "prolific:<24 hex>" or "prolific-name:<name>"` (ui/error-words.ts puts it in words). */
const KEY_REFUSAL = `must be ${keyForms.length > 1 ? `${keyForms.slice(0, -1).join(', ')} or ${keyForms.at(-1)}` : keyForms[0]}`;

export const RequesterKey = z.string().check(z.maxLength(170), z.regex(KEY_PATTERN, KEY_REFUSAL));
export type RequesterKey = z.infer<typeof RequesterKey>;

export function requesterKey(platform: Platform, id: string): RequesterKey | null {
  return PLATFORMS[platform].requesterId.test(id) ? (`${platform}:${id}` as RequesterKey) : null;
}

/** The key of a requester known only by name (the page gave no id); null where the platform keys by id only. */
export function nameKey(platform: Platform, name: string): RequesterKey | null {
  if (!PLATFORMS[platform].nameKeys) return null;
  const normalized = name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  if (!normalized) return null;
  const key = `${platform}-name:${encodeURIComponent(normalized)}`;
  return KEY_PATTERN.test(key) ? (key as RequesterKey) : null;
}

export function isKeyedByName(key: RequesterKey): boolean {
  return key.slice(0, key.indexOf(':')).endsWith('-name');
}
