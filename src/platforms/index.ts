/** The platform registry: the content script asks it which adapter handles a page. */
import type { PlatformId } from '../core/platforms.js';
import { mturkAdapter } from './mturk.js';
import { prolificAdapter } from './prolific.js';
import type { PlatformAdapter } from './types.js';

/** One adapter per platform of core/platforms.ts: a platform without one fails the type check. */
const ADAPTERS = { mturk: mturkAdapter, prolific: prolificAdapter } satisfies Record<PlatformId, PlatformAdapter>;

export function adapterFor(url: URL): PlatformAdapter | null {
  return Object.values(ADAPTERS).find((adapter) => adapter.handles(url)) ?? null;
}

export type { PlatformAdapter, RequesterSpot, ScanResult } from './types.js';
