/**
 * What a worker may paste or type to name a requester (the blocklist's field, a suspension
 * report's requester): a key as Lantern writes it (`mturk:A…`), a bare id as the platform
 * shows it, or the address of the requester's page on the platform (a path part or a query
 * parameter holding the id, as core/platforms.ts says per platform). Ids are brought to
 * their platform's letter case first. Anything else is null: the forms say so in words.
 */
import { PLATFORM_IDS, PLATFORMS, platformOfKey, type PlatformId } from './platforms.js';
import { nameKey, RequesterKey, requesterKey } from './requester-key.js';

function keyOf(platform: PlatformId, id: string): RequesterKey | null {
  const spec = PLATFORMS[platform];
  return requesterKey(platform, spec.idCase === 'upper' ? id.toUpperCase() : id.toLowerCase());
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function keyFromAddress(text: string): RequesterKey | null {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase();
  const platform = PLATFORM_IDS.find((id) => host === PLATFORMS[id].domain || host.endsWith(`.${PLATFORMS[id].domain}`));
  if (!platform) return null;
  const spec: { idInPath: RegExp; idParam: RegExp | null } = PLATFORMS[platform];
  const fromPath = spec.idInPath.exec(url.pathname)?.[1];
  const fromQuery = spec.idParam && [...url.searchParams].find(([name]) => spec.idParam!.test(name))?.[1];
  const id = fromPath ? decoded(fromPath) : fromQuery;
  return id ? keyOf(platform, id) : null;
}

export function requesterFromInput(input: string): RequesterKey | null {
  const text = input.trim();
  if (!text) return null;
  // A key (`mturk:…`, `prolific-name:…`): valid as written, or with its id in the platform's case.
  const platform = /^[a-z][a-z0-9-]*:(?!\/\/)/i.test(text) ? platformOfKey(text) : null;
  if (platform) {
    const asKey = RequesterKey.safeParse(text);
    if (asKey.success) return asKey.data;
    return text.startsWith(`${platform}:`) ? keyOf(platform, text.slice(platform.length + 1)) : null;
  }
  // A bare id: taken only when exactly one platform's ids have its shape.
  const bare = PLATFORM_IDS.map((id) => keyOf(id, text)).filter((key) => key !== null);
  if (bare.length === 1) return bare[0]!;
  if (bare.length > 1) return null;
  return keyFromAddress(text);
}

/** A requester named but given no id: keyed by name on the platform that keys requesters by name, if one does. */
export function requesterFromName(name: string): RequesterKey | null {
  const platform = PLATFORM_IDS.find((id) => PLATFORMS[id].nameKeys);
  return platform ? nameKey(platform, name) : null;
}
