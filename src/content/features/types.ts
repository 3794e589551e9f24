/**
 * Content features, refined-github style: each feature is one module that gets the
 * result of every page scan and makes the page show it, idempotently. Adding one is a
 * new file plus a line in ./index.ts.
 */
import type { BadgeBrief } from '../../core/badge-brief.js';
import type { LookupResult } from '../../core/messages.js';
import type { RequesterKey } from '../../core/requester-key.js';
import type { PublicReview } from '../../core/sync-protocol.js';
import type { WorkObservation } from '../../core/work-log.js';
import type { PlatformAdapter, RequesterSpot } from '../../platforms/types.js';

/** What features may ask of the background (through messages; never the network). */
export interface ContentActions {
  loadReviews(key: RequesterKey): Promise<{ reviews: PublicReview[] | null; error: string | null }>;
  openForm(form: FormKind, key: RequesterKey, from?: FormContext): void;
  block(key: RequesterKey, name: string): Promise<void>;
  /** Takes the requester off the blocklist ("Unblock" on the card). */
  unblock?(key: RequesterKey): Promise<void>;
  /** Has the background add the detail card's code to this page (once). */
  loadCard(): Promise<unknown>;
  /** Hands the background what the page showed of the worker's own work (the work log). */
  recordWork?(observations: WorkObservation[]): Promise<unknown>;
}

type FormKind = 'review' | 'suspension' | 'flag' | 'review-flag';
/** Where a card's form action came from: the requester's name, the row it was opened on, the review to flag. */
interface FormContext {
  name?: string;
  row?: Element | null;
  review?: { id: string; taskTitle: string; createdOn: string };
}

export interface ScanContext {
  doc: Document;
  adapter: PlatformAdapter;
  page: string;
  spots: readonly RequesterSpot[];
  /** Full answers from the background (what banners, the card and the guard need). */
  results: ReadonlyMap<RequesterKey, LookupResult>;
  /** What each badge shows and the filters act on: known sooner than the full answer. */
  briefs: ReadonlyMap<RequesterKey, BadgeBrief>;
  filterMode: 'hide' | 'dim' | 'off';
  actions: ContentActions;
}

export interface ContentFeature {
  name: string;
  /** Brings the page in line with this scan. Called after every scan; must be idempotent. */
  apply(ctx: ScanContext): void;
  /** Removes everything the feature added (the platform was switched off). */
  clear(doc: Document): void;
}
