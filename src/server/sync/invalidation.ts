/**
 * Every snapshot and export cache built over one storage, so that a cluster notification
 * (cluster/notify.ts: new rules, a finished recompute) reaches them from `startServer`
 * without threading each cache through the app's construction.
 */
import type { Storage } from '../storage/storage.js';

export interface Invalidatable {
  invalidate(): void;
}

const byStorage = new WeakMap<Storage, Set<Invalidatable>>();

export function registerCache(storage: Storage, cache: Invalidatable): void {
  let set = byStorage.get(storage);
  if (!set) byStorage.set(storage, (set = new Set()));
  set.add(cache);
}

/** Returns how many caches were told. */
export function invalidateCaches(storage: Storage): number {
  const set = byStorage.get(storage);
  for (const cache of set ?? []) cache.invalidate();
  return set?.size ?? 0;
}
