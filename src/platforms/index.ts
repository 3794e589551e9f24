/** The platform registry: the content script asks it which adapter handles a page. */
import { mturkAdapter } from './mturk.js';
import { prolificAdapter } from './prolific.js';
import type { PlatformAdapter } from './types.js';

export const ADAPTERS: readonly PlatformAdapter[] = [mturkAdapter, prolificAdapter];

export function adapterFor(url: URL): PlatformAdapter | null {
  return ADAPTERS.find((adapter) => adapter.handles(url)) ?? null;
}

export type { PlatformAdapter, RequesterSpot, ScanResult } from './types.js';
