/**
 * The author's own reviews, shown at once: every review, edit or delete accepted into the
 * outbox is kept here per requester, pending and then delivered (with the server's own
 * copy of the review), and merged into lookups, badges and cards (own-overlay-merge.ts)
 * until a sync that started after delivery brings the server's row, which includes it.
 * Kept in extension storage so a service-worker restart keeps it; validated when read.
 * A refused or discarded submission leaves it at once: nothing unsent is shown as sent.
 */
import browser from 'webextension-polyfill';
import * as z from 'zod/mini';
import type { OutboxItem } from '../core/extension-state.js';
import { PublicReview } from '../core/public-review.js';
import { RequesterKey } from '../core/requester-key.js';
import { int } from '../core/rules.js';
import { OwnReview, parseVersionToken, ReviewWritten, VersionToken } from '../core/sync-protocol.js';
import type { OverlayChange } from './own-overlay-merge.js';

export const OVERLAY_STORAGE_KEY = 'ownOverlay';
const MAX_CHANGES = 200;
const MAX_KNOWN = 300;

const StoredChange = z.object({
  /** The outbox item's id. */
  id: z.string(),
  requester: RequesterKey,
  requesterName: z.string(),
  before: z.nullable(PublicReview),
  beforeCounted: z.boolean(),
  after: z.nullable(PublicReview),
  afterHeld: z.boolean(),
  /** When the server took it; null while it waits in the outbox. */
  deliveredAt: z.nullable(int(0)),
  /**
   * The server's version just after it took it (GET /v1/health, never cached): a replica at
   * this version or later holds it. Without it, a sync begun after delivery is taken to.
   */
  confirmedAt: z.optional(z.nullable(VersionToken)),
});
type StoredChange = z.infer<typeof StoredChange>;

/** The author's reviews the browser has seen (their list, deliveries): what an edit or delete takes out. */
const KnownReview = z.object({ requester: RequesterKey, requesterName: z.string(), counted: z.boolean(), review: PublicReview });
type KnownReview = z.infer<typeof KnownReview>;

const Stored = z.object({ changes: z.array(StoredChange), known: z.array(KnownReview) });
type Stored = z.infer<typeof Stored>;

let state: Promise<Stored> | null = null;
let writing: Promise<void> = Promise.resolve();
const listeners: (() => void)[] = [];

// "Clear local data" empties extension storage: the copy in memory goes with it.
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && OVERLAY_STORAGE_KEY in changes && changes[OVERLAY_STORAGE_KEY]!.newValue === undefined) state = null;
});

function load(): Promise<Stored> {
  const loading = browser.storage.local.get(OVERLAY_STORAGE_KEY).then((stored) => {
    const parsed = Stored.safeParse(stored[OVERLAY_STORAGE_KEY]);
    // Unreadable (an older shape, damage): start empty; the next sync shows the truth anyway.
    return parsed.success ? parsed.data : { changes: [], known: [] };
  });
  // A failed read is tried again next time, never kept.
  state ??= loading.catch((error: unknown) => {
    state = null;
    throw error;
  });
  return state;
}

/**
 * One change at a time, each stored before the next reads. A failed write fails its own
 * caller only: the chain goes on, so one storage error never blocks later syncs or lookups.
 */
function update(change: (s: Stored) => Stored | null): Promise<void> {
  const run = writing.then(async () => {
    const current = await load();
    const next = change(current);
    if (!next) return;
    const moved = next.changes !== current.changes;
    next.changes = next.changes.slice(-MAX_CHANGES);
    next.known = next.known.slice(-MAX_KNOWN);
    state = Promise.resolve(next);
    await browser.storage.local.set({ [OVERLAY_STORAGE_KEY]: next });
    // Badges read only `changes`: the badge index rebuilds only when those moved.
    if (moved) for (const listener of listeners) listener();
  });
  writing = run.catch(() => undefined);
  return run;
}

/** Told after every change of the overlay (the badge index rebuilds with it). */
export function onOverlayChanged(listener: () => void): void {
  listeners.push(listener);
}

/** The review as it will read once delivered, from what the author sent. */
function pendingReview(id: string, payload: Extract<OutboxItem['submission'], { kind: 'review' }>['payload'], createdOn: string): PublicReview {
  return {
    id: `pending:${id}`,
    author: '',
    createdOn,
    editedOn: null,
    taskId: payload.taskId,
    taskTitle: payload.taskTitle,
    reward: payload.reward,
    bonusCents: payload.bonusCents ?? 0,
    minutes: payload.minutes,
    finished: payload.finished,
    outcome: payload.outcome,
    daysToDecision: payload.daysToDecision,
    ratings: payload.ratings,
    text: payload.text,
    tags: payload.tags ?? [],
  };
}

function publicOf(review: OwnReview): PublicReview {
  const { requester: _r, requesterName: _n, status: _s, statusReason: _why, ...rest } = review;
  return rest;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** An outbox item was written: show it at once (reviews, edits and deletes only). */
export function noteQueued(item: OutboxItem, replaces?: string): Promise<void> {
  const s = item.submission;
  if (s.kind !== 'review' && s.kind !== 'review-edit' && s.kind !== 'review-delete' && !replaces) return Promise.resolve();
  return update((current) => {
    const changes = current.changes.filter((c) => c.id !== replaces);
    if (s.kind === 'review' || s.kind === 'review-edit') {
      const known = s.kind === 'review-edit' ? current.known.find((k) => k.review.id === s.reviewId) : undefined;
      const after = pendingReview(item.id, s.payload, known?.review.createdOn ?? today());
      changes.push({
        id: item.id,
        requester: s.payload.requester,
        requesterName: s.payload.requesterName,
        before: known?.review ?? null,
        beforeCounted: known?.counted ?? false,
        // An edit keeps its id, so lists replace the old text rather than show both.
        after: s.kind === 'review-edit' ? { ...after, id: s.reviewId, editedOn: today() } : after,
        afterHeld: false,
        deliveredAt: null,
      });
    } else if (s.kind === 'review-delete') {
      const known = current.known.find((k) => k.review.id === s.reviewId);
      // A review this browser never saw can't be placed under a requester: the sync will show it.
      if (known) {
        changes.push({ id: item.id, requester: known.requester, requesterName: known.requesterName, before: known.review, beforeCounted: known.counted, after: null, afterHeld: false, deliveredAt: null });
      }
    }
    return { ...current, changes };
  });
}

/**
 * The server took it: keep the server's copy (its id, pseudonym and whether it was held)
 * until a sync confirms. Returns the requester whose data changed, if known.
 */
export async function noteDelivered(id: string, body: unknown, serverVersion: string | null = null): Promise<RequesterKey | null> {
  const written = ReviewWritten.safeParse(body);
  let requester: RequesterKey | null = null;
  await update((current) => {
    const change = current.changes.find((c) => c.id === id);
    if (!change && !written.success) return null;
    requester = change?.requester ?? (written.success ? written.data.review.requester : null);
    const known = current.known.filter((k) => !written.success || k.review.id !== written.data.review.id);
    if (written.success) {
      const review = written.data.review;
      known.push({ requester: review.requester, requesterName: review.requesterName, counted: review.status === 'visible', review: { ...publicOf(review), text: '' } });
    }
    const changes = current.changes.map((c) =>
      c.id !== id
        ? c
        : {
            ...c,
            deliveredAt: Date.now(),
            confirmedAt: serverVersion && parseVersionToken(serverVersion) ? serverVersion : null,
            ...(written.success ? { after: publicOf(written.data.review), afterHeld: written.data.review.status !== 'visible' } : {}),
          },
    );
    return { changes, known };
  });
  return requester;
}

/** Refused by the server, discarded or replaced by the worker: it shows no more. */
export function forgetChange(id: string): Promise<void> {
  return update((current) => (current.changes.some((c) => c.id === id) ? { ...current, changes: current.changes.filter((c) => c.id !== id) } : null));
}

/** Whether a replica at `version` holds a change the server took at `confirmedAt`. */
function holds(version: string | null, confirmedAt: string): boolean {
  const have = version ? parseVersionToken(version) : null;
  const need = parseVersionToken(confirmedAt);
  // Another database (the server was changed or reset): the change can't be waited for.
  if (!have || !need || have.epoch !== need.epoch) return true;
  return have.seq >= need.seq;
}

/**
 * A sync that started at `syncStartedAt` succeeded, leaving the replica at `version`: the
 * changes it holds give way to the server's rows. The version check keeps a change when a
 * cache (a CDN holds deltas 10 s) answered that sync with changes from before delivery.
 */
export function dropConfirmed(syncStartedAt: number, version: string | null = null): Promise<void> {
  return update((current) => {
    const confirmed = (c: StoredChange) =>
      c.deliveredAt !== null && (c.confirmedAt ? holds(version, c.confirmedAt) : c.deliveredAt < syncStartedAt);
    const changes = current.changes.filter((c) => !confirmed(c));
    return changes.length === current.changes.length ? null : { ...current, changes };
  });
}

/** The author's reviews as the server listed them (the popup's "My reviews"). */
export function rememberOwnReviews(reviews: readonly OwnReview[]): Promise<void> {
  return update((current) => {
    const ids = new Set(reviews.map((r) => r.id));
    const known = [
      ...current.known.filter((k) => !ids.has(k.review.id)),
      ...reviews.map((r) => ({ requester: r.requester, requesterName: r.requesterName, counted: r.status === 'visible', review: { ...publicOf(r), text: '' } })),
    ];
    return { ...current, known };
  });
}

/** The author's changes per requester, oldest first, for these keys only. */
export async function overlayFor(keys: readonly RequesterKey[]): Promise<Map<RequesterKey, (OverlayChange & { deliveredAt: number | null })[]>> {
  const { changes } = await load();
  const found = new Map<RequesterKey, StoredChange[]>();
  if (changes.length === 0) return found;
  const wanted = new Set(keys);
  for (const change of changes) {
    if (!wanted.has(change.requester)) continue;
    const list = found.get(change.requester) ?? [];
    list.push(change);
    found.set(change.requester, list);
  }
  return found;
}

/** The author's reviews this browser knows, and whether each still waits for a sync to confirm it. */
export async function ownReviewMarks(): Promise<{ id: string; pending: boolean }[]> {
  const { changes, known } = await load();
  const pending = new Set(changes.flatMap((c) => (c.after ? [c.after.id] : [])));
  const ids = new Set([...known.map((k) => k.review.id), ...pending]);
  return [...ids].map((id) => ({ id, pending: pending.has(id) }));
}

/** Every requester with a change shown (the badge index needs them all). */
export async function overlayRequesters(): Promise<RequesterKey[]> {
  return [...new Set((await load()).changes.map((c) => c.requester))];
}
