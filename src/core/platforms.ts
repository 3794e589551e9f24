/**
 * The platforms Lantern reads, in one table. Everything else that knows a platform —
 * the requester-key pattern, the message and settings schemas, the default settings, the
 * options page's switches, the manifest's hosts (scripts/build.ts), the default currency
 * of a review, what a pasted address means — is derived from this table; the only other
 * place a platform is named is its adapter (src/platforms/<id>.ts). README "Adding a
 * platform" says what a new one takes.
 *
 * Stored data and wire formats name a platform by its id (`mturk`, and the key prefix
 * `mturk:`): an id, once shipped, never changes.
 */

export interface PlatformSpec {
  /** The platform's own name: a proper noun, the same in every language. */
  name: string;
  /** A requester's id as the platform writes it; Lantern's key is `<platform>:<id>`. */
  requesterId: RegExp;
  /** The ids' letter case: a pasted or typed id is brought to it before it is checked. */
  idCase: 'upper' | 'lower';
  /** The key's form, in the refusal of a key that fits no platform. */
  keyForm: string;
  /**
   * Where a page shows a requester's name but no id, the key is `<platform>-name:<name>`
   * (normalized, percent-encoded), marked as keyed by name. Only platforms that need it.
   */
  nameKeys: boolean;
  /** The hosts whose pages the content script reads (the manifest's matches and host permissions). */
  hosts: readonly string[];
  /** The platform's domain: a pasted address on it, or on a subdomain of it, may name a requester. */
  domain: string;
  /** Where such an address holds the requester's id: a path part (first group)… */
  idInPath: RegExp;
  /** …or a query parameter whose name this matches. */
  idParam: RegExp | null;
  /** The currency a review's reward is in until the worker says otherwise (core/rules.ts `Currency`). */
  currency: 'USD' | 'GBP' | 'EUR';
}

export const PLATFORMS = {
  mturk: {
    name: 'Amazon Mechanical Turk',
    // `A` + 11–20 uppercase alphanumerics (observed lengths 12–21). Worker ids have the
    // same shape, which is why adapters only take ids from a `/requesters/<ID>` link or a
    // `requester_id` field, never from free text.
    requesterId: /^A[0-9A-Z]{11,20}$/,
    idCase: 'upper',
    keyForm: '"mturk:A…" (12–21 uppercase letters and digits)',
    nameKeys: false,
    hosts: ['worker.mturk.com'],
    domain: 'mturk.com',
    // worker.mturk.com/requesters/<ID>/projects; the contact link's `hit_type_message[requester_id]`.
    idInPath: /\/requesters\/([^/]+)(?:\/|$)/,
    idParam: /^(?:.*\[)?requester_?id\]?$/i,
    currency: 'USD',
  },
  prolific: {
    name: 'Prolific',
    // Researcher ids are Mongo ObjectIds. Study pages show only a researcher's name, hence name keys.
    requesterId: /^[0-9a-f]{24}$/,
    idCase: 'lower',
    keyForm: '"prolific:<24 hex>"',
    nameKeys: true,
    hosts: ['app.prolific.com'],
    domain: 'prolific.com',
    // app.prolific.com/…/researcher(s)/<id>; a study's own id is elsewhere in its address, never taken.
    idInPath: /\/researchers?\/([^/]+)(?:\/|$)/,
    idParam: null,
    currency: 'GBP',
  },
} as const satisfies Record<string, PlatformSpec>;

export type PlatformId = keyof typeof PLATFORMS;

/** Every platform id, in the table's order (a zod enum takes it as it is). */
export const PLATFORM_IDS = Object.keys(PLATFORMS) as [PlatformId, ...PlatformId[]];

/** The platform a requester key belongs to (`mturk:A…` and `prolific-name:…` alike); null for no key. */
export function platformOfKey(key: string): PlatformId | null {
  const prefix = key.slice(0, Math.max(0, key.indexOf(':'))).replace(/-name$/, '');
  return Object.hasOwn(PLATFORMS, prefix) ? (prefix as PlatformId) : null;
}

/** One value per platform: settings' on/off switches, their schemas and readers. */
export function perPlatform<T>(make: (platform: PlatformId) => T): Record<PlatformId, T> {
  return Object.fromEntries(PLATFORM_IDS.map((platform) => [platform, make(platform)])) as Record<PlatformId, T>;
}

/** The currency a review about this requester starts in. */
export function defaultCurrency(key: string): PlatformSpec['currency'] {
  const platform = platformOfKey(key);
  return platform ? PLATFORMS[platform].currency : 'USD';
}

/** Whether `url` is one of the platform's pages that the content script reads (an adapter's `handles`). */
export function isPlatformPage(platform: PlatformId, url: URL): boolean {
  const hosts: readonly string[] = PLATFORMS[platform].hosts;
  return hosts.includes(url.hostname);
}
