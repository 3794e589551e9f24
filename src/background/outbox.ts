/**
 * The outbox: every review, report and flag is written to IndexedDB before it is sent,
 * with its id as the idempotency key. It is retried with backoff across worker and
 * browser restarts; a 2xx removes it; a refusal from the server (4xx) keeps it, marked
 * rejected with the server's words, for the worker to edit or discard. Never dropped
 * silently, never delivered twice (the server keeps one row per idempotency key).
 * Reviews, edits and deletes show to their author at once (own-overlay.ts); a delivery
 * drops the requester's cached review texts and starts a sync, which confirms it.
 */
import browser from 'webextension-polyfill';
import * as z from 'zod/mini';
import { Submission, type OutboxItem, type SubmissionInput } from '../core/extension-state.js';
import { VersionToken } from '../core/sync-protocol.js';
import { cutText } from '../core/text-cut.js';
import { describeIssues } from '../core/validation.js';
import { ensureAccount } from './account.js';
import { db } from './db.js';
import { forgetChange, noteDelivered, noteQueued } from './own-overlay.js';
import { forgetReviewTexts } from './reviews-cache.js';
import { callServer, readJson, ServerError } from './server-api.js';
import { readOutboxItem } from './stored-state/records.js';
import { syncAfterNow } from './sync.js';
import { markReviewed } from './work-log.js';

export const OUTBOX_ALARM = 'lantern-outbox';
const MAX_BACKOFF_MS = 60 * 60 * 1000;

let flushing: Promise<void> | null = null;

function request(submission: Submission): { method: string; path: string; body?: unknown } {
  switch (submission.kind) {
    case 'review':
      return { method: 'POST', path: '/v1/reviews', body: submission.payload };
    case 'review-edit':
      return { method: 'PUT', path: `/v1/reviews/${encodeURIComponent(submission.reviewId)}`, body: submission.payload };
    case 'review-delete':
      return { method: 'DELETE', path: `/v1/reviews/${encodeURIComponent(submission.reviewId)}` };
    case 'suspension':
      return { method: 'POST', path: '/v1/suspension-reports', body: submission.payload };
    case 'suspension-edit':
      return { method: 'PUT', path: `/v1/suspension-reports/${encodeURIComponent(submission.reportId)}`, body: submission.payload };
    case 'suspension-withdraw':
      return { method: 'DELETE', path: `/v1/suspension-reports/${encodeURIComponent(submission.reportId)}` };
    case 'requester-flag':
      return { method: 'POST', path: '/v1/requester-flags', body: submission.payload };
    case 'review-flag':
      return { method: 'POST', path: '/v1/review-flags', body: submission.payload };
  }
}

/** Writes the submission to the outbox (replacing an edited one), then tries to send it. */
export async function enqueue(input: SubmissionInput, replaces?: string): Promise<{ item: OutboxItem; delivered: boolean }> {
  const parsed = Submission.safeParse(input);
  if (!parsed.success) throw new Error(describeIssues(parsed.error));
  const item: OutboxItem = {
    id: crypto.randomUUID(),
    submission: parsed.data,
    createdAt: Date.now(),
    attempts: 0,
    state: 'queued',
    lastError: null,
    errorField: null,
    nextAttemptAt: 0,
  };
  const tx = (await db()).transaction('outbox', 'readwrite');
  if (replaces) await tx.store.delete(replaces);
  await tx.store.put(item);
  await tx.done;
  await showToAuthor(() => noteQueued(item, replaces));
  if (item.submission.kind === 'review') await noteReviewed(item.submission.payload.requester, item.submission.payload.taskId);
  await flushOutbox();
  const still = await (await db()).get('outbox', item.id);
  return { item: still ?? item, delivered: !still };
}

/**
 * A review written takes its task off "tasks you could review" (the work log stays in this
 * browser). Marked once queued, not once delivered: offline, the worker must not be offered
 * the same task again while the first review waits in the outbox (where a refusal stays).
 */
async function noteReviewed(requester: string, taskId: string): Promise<void> {
  try {
    await markReviewed(requester, taskId);
  } catch (error) {
    // The review is queued either way; at worst its task is offered for review again.
    console.warn('Lantern: could not mark the task reviewed in the work log', error);
  }
}

/** The overlay only shows; a failure there must never stop a submission. */
async function showToAuthor(change: () => Promise<unknown>): Promise<void> {
  try {
    await change();
  } catch (error) {
    console.warn('Lantern: the overlay of your own reviews was not updated', error);
  }
}

const REVIEW_KINDS: readonly string[] = ['review', 'review-edit', 'review-delete'];
const Health = z.object({ version: VersionToken });

/** The server's version now (never cached): a replica this new holds what was just delivered. */
async function serverVersionNow(): Promise<string | null> {
  try {
    const health = Health.safeParse(await readJson(await callServer('/v1/health')));
    return health.success ? health.data.version : null;
  } catch {
    return null; // then the overlay waits for a sync begun after delivery instead
  }
}

/** Sends one item; true when it was a review (or edit, delete) the server took. */
async function sendOne(item: OutboxItem): Promise<boolean> {
  const database = await db();
  try {
    const secret = await ensureAccount();
    const { method, path, body } = request(item.submission);
    const response = await callServer(path, { method, body, secret, idempotencyKey: item.id });
    await database.delete('outbox', item.id);
    if (!REVIEW_KINDS.includes(item.submission.kind)) return false;
    const answer = await readJson(response).catch(() => null);
    const version = await serverVersionNow();
    await showToAuthor(async () => {
      const requester = await noteDelivered(item.id, answer, version);
      if (requester) await forgetReviewTexts([requester]);
    });
    return true;
  } catch (error) {
    const failure = error instanceof ServerError ? error : new ServerError(String(error), 0);
    const attempts = item.attempts + 1;
    const updated: OutboxItem = failure.transient
      ? {
          ...item,
          attempts,
          state: 'queued',
          lastError: failure.message,
          errorField: null,
          nextAttemptAt: Date.now() + Math.min(MAX_BACKOFF_MS, 30_000 * 2 ** (attempts - 1)),
        }
      : { ...item, attempts, state: 'rejected', lastError: failure.message, errorField: failure.field, nextAttemptAt: 0 };
    // The item may have been discarded meanwhile: only write it back if it is still there.
    const tx = database.transaction('outbox', 'readwrite');
    if (await tx.store.get(item.id)) await tx.store.put(updated);
    await tx.done;
    if (updated.state === 'rejected') await showToAuthor(() => forgetChange(item.id));
    return false;
  }
}

/**
 * The outbox as stored, each item read field by field (stored-state/records.ts). An item
 * whose submission this version can't read stays in IndexedDB untouched — never sent as a
 * guess, never dropped — and is named in the diagnostics when the background starts.
 */
async function readOutbox(): Promise<OutboxItem[]> {
  const stored: unknown[] = await (await db()).getAll('outbox');
  return stored.flatMap((raw) => readOutboxItem(raw).value ?? []);
}

async function runFlush(force: boolean): Promise<void> {
  const items = await readOutbox();
  const now = Date.now();
  const due = items
    .filter((i) => i.state === 'queued' && (force || i.nextAttemptAt <= now))
    .sort((a, b) => a.createdAt - b.createdAt);
  // In order, one at a time: an edit must not overtake the review it edits.
  let reviewsDelivered = false;
  for (const item of due) if (await sendOne(item)) reviewsDelivered = true;
  // Confirm at once (the overlay gives way to the server's rows) rather than at the next poll.
  if (reviewsDelivered) void syncAfterNow();
  const waiting = (await readOutbox()).filter((i) => i.state === 'queued');
  if (waiting.length > 0) {
    const next = Math.min(...waiting.map((i) => i.nextAttemptAt));
    await browser.alarms.create(OUTBOX_ALARM, { when: Math.max(next, Date.now() + 30_000) });
  }
}

/** Sends what is due (everything queued when `force`); one flush at a time. */
export function flushOutbox(force = false): Promise<void> {
  if (flushing) return flushing.then(() => flushOutbox(force));
  flushing = runFlush(force).finally(() => {
    flushing = null;
  });
  return flushing;
}

export async function listOutbox(): Promise<OutboxItem[]> {
  return (await readOutbox()).sort((a, b) => a.createdAt - b.createdAt);
}

/** Longest stored text shown for an unreadable item: a review is at most a few kB. */
const UNREADABLE_SHOWN = 20_000;

/**
 * Items whose submission can't be read even after mending its text (records.ts): never
 * sent, so shown as stored — JSON, which escapes what isn't text — for the worker to copy
 * what they wrote and discard the item, rather than only counted in the diagnostics.
 */
export async function listUnreadableOutbox(): Promise<{ id: string; raw: string }[]> {
  const stored: unknown[] = await (await db()).getAll('outbox');
  return stored.flatMap((raw) => {
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || readOutboxItem(raw).value) return [];
    const text = JSON.stringify((raw as { submission?: unknown }).submission ?? null, null, 2) ?? 'null';
    return [{ id, raw: cutText(text, UNREADABLE_SHOWN) }];
  });
}

export async function discard(id: string): Promise<void> {
  await (await db()).delete('outbox', id);
  await showToAuthor(() => forgetChange(id));
}
