/**
 * The author's overlay across its life: queued, delivered (the server's copy kept), kept
 * across a worker restart (it lives in extension storage), dropped only by a sync that
 * started after delivery, and gone at once when refused.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxItem } from '../core/extension-state.js';
import type { OwnReview } from '../core/sync-protocol.js';

const storage = vi.hoisted(() => new Map<string, unknown>());
/** The next storage.local.set fails when set (a full or broken storage). */
const failNextSet = vi.hoisted(() => ({ on: false }));
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      onChanged: { addListener: () => undefined },
      local: {
        get: async (key: string) => (storage.has(key) ? { [key]: structuredClone(storage.get(key)) } : {}),
        set: async (items: Record<string, unknown>) => {
          if (failNextSet.on) {
            failNextSet.on = false;
            throw new Error('QUOTA_BYTES quota exceeded');
          }
          Object.entries(items).forEach(([k, v]) => storage.set(k, structuredClone(v)));
        },
      },
    },
  },
}));

const KEY = 'mturk:APA5QKHYESAA' as const;
const payload = {
  requester: KEY,
  requesterName: 'Müller & Søn',
  taskId: '3AS5SGTU2GYRDPB34F61NLOFQ33W6Y',
  taskTitle: 'Categorize product listings',
  reward: { cents: 300, currency: 'USD' as const },
  bonusCents: 0,
  minutes: 12,
  finished: true,
  outcome: 'approved' as const,
  daysToDecision: 1,
  ratings: { pay: 4, fairness: null, speed: null, communication: null },
  text: 'Fair pay, approved the next day.',
  tags: [],
};
const item = (id: string, submission: OutboxItem['submission']): OutboxItem => ({
  id,
  submission,
  createdAt: Date.now(),
  attempts: 0,
  state: 'queued',
  lastError: null,
  errorField: null,
  nextAttemptAt: 0,
});
const serverCopy = (over: Partial<OwnReview> = {}): OwnReview => ({
  ...payload,
  id: 'R1',
  author: 'pseudonym1',
  createdOn: '2026-12-03',
  editedOn: null,
  requester: KEY,
  status: 'visible',
  statusReason: null,
  ...over,
});

/** A fresh module, as after a service-worker restart: only extension storage is kept. */
async function fresh() {
  vi.resetModules();
  return import('./own-overlay.js');
}

beforeEach(() => storage.clear());

describe('own overlay', () => {
  it('shows a queued review at once, keeps the server copy on delivery, across a restart, until a later sync', async () => {
    let overlay = await fresh();
    await overlay.noteQueued(item('o1', { kind: 'review', payload }));
    let [change] = (await overlay.overlayFor([KEY])).get(KEY)!;
    expect(change!.after?.id).toBe('pending:o1');
    expect(change!.deliveredAt).toBeNull();

    const syncBefore = Date.now() - 1;
    expect(await overlay.noteDelivered('o1', { review: serverCopy() })).toBe(KEY);
    overlay = await fresh();
    [change] = (await overlay.overlayFor([KEY])).get(KEY)!;
    expect(change!.after?.id).toBe('R1');
    expect(change!.after?.author).toBe('pseudonym1');

    // A sync that began before delivery may have read the server without it: kept.
    await overlay.dropConfirmed(syncBefore);
    expect((await overlay.overlayFor([KEY])).get(KEY)).toHaveLength(1);
    await overlay.dropConfirmed(Date.now() + 1);
    expect((await overlay.overlayFor([KEY])).has(KEY)).toBe(false);
    expect(await overlay.overlayRequesters()).toEqual([]);
  });

  it('with the server version at delivery, only a replica that new drops it (a cached, older delta does not)', async () => {
    const overlay = await fresh();
    await overlay.noteQueued(item('o1', { kind: 'review', payload }));
    await overlay.noteDelivered('o1', { review: serverCopy() }, 'ep0ch1.5');
    await overlay.dropConfirmed(Date.now() + 1, 'ep0ch1.4');
    expect((await overlay.overlayFor([KEY])).get(KEY)).toHaveLength(1);
    await overlay.dropConfirmed(Date.now() + 1, 'ep0ch1.5');
    expect((await overlay.overlayFor([KEY])).has(KEY)).toBe(false);

    // Another database altogether (server changed): nothing to wait for.
    await overlay.noteQueued(item('o2', { kind: 'review', payload }));
    await overlay.noteDelivered('o2', { review: serverCopy({ id: 'R2' }) }, 'ep0ch1.9');
    await overlay.dropConfirmed(Date.now() + 1, 'other2.1');
    expect((await overlay.overlayFor([KEY])).has(KEY)).toBe(false);
  });

  it('a held review is kept as held', async () => {
    const overlay = await fresh();
    await overlay.noteQueued(item('o1', { kind: 'review', payload }));
    await overlay.noteDelivered('o1', { review: serverCopy({ status: 'held', statusReason: 'brigade' }) });
    expect((await overlay.overlayFor([KEY])).get(KEY)![0]!.afterHeld).toBe(true);
  });

  it('an edit and a delete of a known review take the old one out; a refused or replaced item shows no more', async () => {
    const overlay = await fresh();
    await overlay.rememberOwnReviews([serverCopy()]);
    await overlay.noteQueued(item('e1', { kind: 'review-edit', reviewId: 'R1', payload: { ...payload, text: 'Edited text, long enough.' } }));
    let changes = (await overlay.overlayFor([KEY])).get(KEY)!;
    expect(changes[0]!.before?.id).toBe('R1');
    expect(changes[0]!.beforeCounted).toBe(true);
    expect(changes[0]!.after?.id).toBe('R1');

    // The worker edits the queued edit again: the first is replaced, not shown twice.
    await overlay.noteQueued(item('e2', { kind: 'review-edit', reviewId: 'R1', payload: { ...payload, text: 'Edited twice, long enough.' } }), 'e1');
    changes = (await overlay.overlayFor([KEY])).get(KEY)!;
    expect(changes.map((c) => c.after?.text)).toEqual(['Edited twice, long enough.']);

    await overlay.noteQueued(item('d1', { kind: 'review-delete', reviewId: 'R1' }));
    changes = (await overlay.overlayFor([KEY])).get(KEY)!;
    expect(changes.at(-1)!.after).toBeNull();

    await overlay.forgetChange('e2');
    await overlay.forgetChange('d1');
    expect((await overlay.overlayFor([KEY])).has(KEY)).toBe(false);
  });

  it('a failed write fails its own caller only: later changes and syncs go on', async () => {
    const overlay = await fresh();
    failNextSet.on = true;
    await expect(overlay.noteQueued(item('o1', { kind: 'review', payload }))).rejects.toThrow(/quota/);
    await overlay.noteQueued(item('o2', { kind: 'review', payload }));
    expect((await overlay.overlayFor([KEY])).get(KEY)!.map((c) => c.after?.id)).toContain('pending:o2');
    await expect(overlay.dropConfirmed(Date.now())).resolves.toBeUndefined();
  });

  it('tells its listeners (the badge index) only when the changes moved, not when own reviews are listed', async () => {
    const overlay = await fresh();
    let told = 0;
    overlay.onOverlayChanged(() => (told += 1));
    await overlay.rememberOwnReviews([serverCopy()]);
    expect(told).toBe(0);
    await overlay.noteQueued(item('o1', { kind: 'review', payload }));
    expect(told).toBe(1);
  });

  it('reads damaged storage as empty', async () => {
    storage.set('ownOverlay', { changes: 'lol' });
    const overlay = await fresh();
    expect((await overlay.overlayFor([KEY])).size).toBe(0);
  });
});
