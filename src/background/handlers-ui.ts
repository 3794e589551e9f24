/** What the background does for each message from the popup and the options page. */
import browser from 'webextension-polyfill';
import type { UI_MESSAGES } from '../core/messages-ui.js';
import type { Handlers } from '../core/messaging.js';
import { assess } from '../core/rating.js';
import { OwnReview } from '../core/sync-protocol.js';
import * as z from 'zod/mini';
import { createAccount, getSecret, restoreAccount } from './account.js';
import { deleteDatabase } from './db.js';
import { getDiagnostics } from './diagnostics.js';
import { discard, enqueue, flushOutbox, listOutbox, listUnreadableOutbox } from './outbox.js';
import { getSummaries } from './replica.js';
import { overlayReviews, overlaySummary } from './own-overlay-merge.js';
import { overlayFor, ownReviewMarks, rememberOwnReviews } from './own-overlay.js';
import { suspectHandlers } from './handlers-suspects.js';
import { workLogUiHandlers } from './handlers-work-log.js';
import { reportHandlers } from './handlers-reports.js';
import { guideUiHandlers } from './handlers-guide.js';
import { reviewsFor } from './reviews-cache.js';
import { callServer, readJson } from './server-api.js';
import { getRules, getSettings, getThresholds, updateSettings } from './settings.js';
import { syncNow, syncStatus } from './sync.js';

const OwnReviewsBody = z.object({ reviews: z.array(OwnReview) });

async function status() {
  const [settings, secret, sync, outbox, outboxUnreadable] = await Promise.all([getSettings(), getSecret(), syncStatus(), listOutbox(), listUnreadableOutbox()]);
  return { serverUrl: settings.serverUrl, hasAccount: secret !== null, sync, outbox, outboxUnreadable };
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const uiHandlers: Handlers<typeof UI_MESSAGES> = {
  ...suspectHandlers,
  ...workLogUiHandlers,
  ...reportHandlers,
  ...guideUiHandlers,
  'ui/status': status,

  async 'ui/sync-now'() {
    await Promise.all([syncNow(), flushOutbox(true)]);
    return status();
  },

  'ui/settings-get': getSettings,

  async 'ui/settings-set'(patch) {
    const before = await getSettings();
    const after = await updateSettings(patch);
    // A new server means a new database: start the replica over from its snapshot.
    if (patch.serverUrl !== undefined && patch.serverUrl !== before.serverUrl && after.serverUrl) {
      void syncNow();
      void flushOutbox(true);
    }
    return after;
  },

  async 'ui/blocklist-import'({ entries }) {
    let added = 0;
    // On the blocklist as it is when the write runs (a block from a tab meanwhile is kept).
    const next = await updateSettings(({ blocklist }) => {
      const known = new Set(blocklist.map((e) => e.key));
      const adding = entries.filter((e) => !known.has(e.key) && known.add(e.key));
      added = adding.length;
      return { blocklist: [...blocklist, ...adding] };
    });
    return { added, total: next.blocklist.length };
  },

  async 'ui/account-create'() {
    return { recoveryCode: await createAccount() };
  },

  async 'ui/account-restore'({ recoveryCode }) {
    await restoreAccount(recoveryCode);
    return { done: true };
  },

  async 'ui/account-get'() {
    return { recoveryCode: await getSecret() };
  },

  async 'ui/submit'({ submission, replaces }) {
    return enqueue(submission, replaces);
  },

  async 'ui/outbox-discard'({ id }) {
    await discard(id);
    return { done: true };
  },

  async 'ui/own-reviews'() {
    const secret = await getSecret();
    if (!secret) return { reviews: [], error: null };
    try {
      const body = OwnReviewsBody.safeParse(await readJson(await callServer('/v1/account/reviews', { secret })));
      if (!body.success) return { reviews: [], error: 'The server sent reviews Lantern cannot read.' };
      // What an edit or delete of one of them takes out of the author's overlay.
      await rememberOwnReviews(body.data.reviews).catch(() => undefined);
      return { reviews: body.data.reviews, error: null };
    } catch (error) {
      return { reviews: [], error: errorText(error) };
    }
  },

  async 'ui/requester-names'({ keys }) {
    // From the replica only: naming blocked requesters sends nothing anywhere.
    const summaries = await getSummaries(keys, await getRules());
    return { names: Object.fromEntries([...summaries].filter(([, s]) => s.name).map(([key, s]) => [key, s.name])) };
  },

  async 'ui/requester-detail'({ key }) {
    const [thresholds, rules] = await Promise.all([getThresholds(), getRules()]);
    const own = (await overlayFor([key])).get(key) ?? [];
    // The author's own reviews not yet confirmed by a sync count at once (own-overlay.ts).
    const summary = overlaySummary((await getSummaries([key], rules)).get(key) ?? null, own, rules, Date.now());
    const assessment = assess(summary, thresholds, rules);
    try {
      const reviews = overlayReviews(await reviewsFor(key), own);
      const shown = new Set(reviews.map((r) => r.id));
      const ownReviews = (await ownReviewMarks()).filter((mark) => shown.has(mark.id));
      return { summary, assessment, reviews, reviewsError: null, ownReviews };
    } catch (error) {
      // Offline, the author still sees their own reviews (the others' texts can't be fetched).
      const mine = own.length > 0 ? overlayReviews([], own) : null;
      return { summary, assessment, reviews: mine, reviewsError: errorText(error), ownReviews: (mine ?? []).map((r) => ({ id: r.id, pending: true })) };
    }
  },

  async 'ui/diagnostics'() {
    return { counts: await getDiagnostics() };
  },

  async 'ui/clear-local-data'() {
    await browser.alarms.clearAll();
    await deleteDatabase();
    await browser.storage.local.clear();
    return { done: true };
  },
};
