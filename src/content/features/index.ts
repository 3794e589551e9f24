/** Every content feature, in the order they are applied after a scan. */
import { acceptGuard } from './accept-guard.js';
import { badges } from './badges.js';
import { filtersFeature } from './filters.js';
import { suspensionBanner } from './suspension-banner.js';
import type { ContentFeature } from './types.js';
import { workLogFeature } from './work-log.js';

export function contentFeatures(rescan: () => void): ContentFeature[] {
  return [badges, suspensionBanner, filtersFeature(rescan), acceptGuard(), workLogFeature()];
}

export type { ContentActions, ContentFeature } from './types.js';
