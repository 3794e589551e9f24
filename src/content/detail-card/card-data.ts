/**
 * What the detail card is opened with: the requester's answer and what its buttons do.
 * Its own module so that the card (card.tsx) and the code that opens it (index.tsx,
 * ../card-loader.ts) share the types without importing each other.
 */
import type { LookupResult } from '../../core/messages.js';
import type { RequesterKey } from '../../core/requester-key.js';
import type { PublicReview } from '../../core/sync-protocol.js';

export interface CardData {
  key: RequesterKey;
  name: string;
  result: LookupResult;
}
export interface CardActions {
  /** At most 5 come back, newest first. */
  loadReviews(): Promise<{ reviews: PublicReview[] | null; error: string | null }>;
  /** Opens the popup's form, prefilled from the row the card was opened on; 'review-flag' names the review. */
  openForm(form: 'review' | 'suspension' | 'flag' | 'review-flag', review?: { id: string; taskTitle: string; createdOn: string }): void;
  block(): Promise<void>;
  unblock(): Promise<void>;
}
