/** What the background does for each content-script message. */
import browser from 'webextension-polyfill';
import type { CONTENT_MESSAGES } from '../core/messages.js';
import type { Handlers } from '../core/messaging.js';
import type { PlatformId } from '../core/platforms.js';
import type { RequesterKey } from '../core/requester-key.js';
import { DETAIL_CARD_SCRIPT } from '../core/messages.js';
import { TEST_HOOKS } from '../core/build-flags.js';
import { lookupsReleased } from './lookup-gate.js';
import { countProblem } from './diagnostics.js';
import { workLogContentHandlers } from './handlers-work-log.js';
import { guideContentHandlers } from './handlers-guide.js';
import { rememberTask } from './recent-tasks.js';
import { getRowTexts } from './replica.js';
import { decodeSummary, encodeSummary } from '../core/summary-codec.js';
import { readSummaryText, summaryText } from '../core/summary-text.js';
import { overlayReviews, overlaySummary } from './own-overlay-merge.js';
import { overlayFor } from './own-overlay.js';
import { reviewsFor } from './reviews-cache.js';
import { getRules, getSettings, updateSettings } from './settings.js';

/**
 * Answers a page scan from the local replica: each requester's row text as stored (no
 * decoding here; the content script decodes and assesses the few it shows), the author's
 * own not-yet-synced reviews merged in (own-overlay.ts), and the worker's blocklist.
 */
async function lookup(platform: PlatformId, keys: readonly RequesterKey[]) {
  if (TEST_HOOKS) await lookupsReleased();
  const unique = [...new Set(keys)];
  const [settings, rules] = await Promise.all([getSettings(), getRules()]);
  const { thresholds, filterMode } = settings;
  if (!settings.platforms[platform]) return { enabled: false, filterMode, rules, thresholds, results: [] };
  const [rows, own] = await Promise.all([getRowTexts(unique), overlayFor(unique)]);
  const blocked = new Set(settings.blocklist.map((entry) => entry.key));
  const now = Date.now();
  return {
    enabled: true,
    filterMode,
    rules,
    thresholds,
    results: unique.map((key) => {
      let row = rows.get(key) ?? null;
      const changes = own.get(key);
      if (changes) {
        // The author's own reviews not yet confirmed by a sync count at once (own-overlay.ts).
        const summary = overlaySummary(row === null ? null : decodeSummary(readSummaryText(row), rules), changes, rules, now);
        row = summary && summaryText(encodeSummary(summary));
      }
      return { key, row, blocked: blocked.has(key) };
    }),
  };
}

export const contentHandlers: Handlers<typeof CONTENT_MESSAGES> = {
  ...workLogContentHandlers,
  ...guideContentHandlers,
  'content/lookup': ({ platform, keys }) => lookup(platform, keys),

  async 'content/diagnostic'({ platform, page, problem }) {
    return { counted: await countProblem(platform, page, problem) };
  },

  async 'content/requester-reviews'({ key }) {
    const own = (await overlayFor([key])).get(key) ?? [];
    try {
      return { reviews: overlayReviews(await reviewsFor(key), own).slice(0, 5), error: null };
    } catch (error) {
      // Offline, the author still sees their own reviews (the others' texts can't be fetched).
      return { reviews: own.length > 0 ? overlayReviews([], own).slice(0, 5) : null, error: error instanceof Error ? error.message : String(error) };
    }
  },

  async 'content/block'({ key, name }) {
    // A patch of the blocklist as it is when the write runs: another tab's block isn't lost.
    const addedOn = new Date().toISOString().slice(0, 10);
    await updateSettings(({ blocklist }) => (blocklist.some((entry) => entry.key === key) ? {} : { blocklist: [...blocklist, { key, name, addedOn }] }));
    return { blocked: true };
  },

  async 'content/unblock'({ key }) {
    await updateSettings(({ blocklist }) => (blocklist.some((entry) => entry.key === key) ? { blocklist: blocklist.filter((entry) => entry.key !== key) } : {}));
    return { blocked: false };
  },

  async 'content/open-form'({ form, key, name, task, review }, sender) {
    // The popup pointed at the page the worker was on, prefilled from the row clicked
    // (issue 12): the popup reads these as untrusted text, like the page itself.
    const params = new URLSearchParams({ form, requester: key });
    if (sender.tabId !== null) params.set('tab', String(sender.tabId));
    if (name) params.set('name', name);
    if (task) {
      params.set('taskId', task.taskId);
      params.set('title', task.taskTitle);
      if (task.reward) params.set('reward', `${task.reward.cents} ${task.reward.currency}`);
    }
    if (review) {
      params.set('review', review.id);
      params.set('reviewTitle', review.taskTitle);
      params.set('reviewOn', review.createdOn);
    }
    const url = browser.runtime.getURL(`popup.html?${params}`);
    // A popup-sized window beside the page, not a full tab the worker must find their way back from.
    try {
      await browser.windows.create({ url, type: 'popup', width: 420, height: 720 });
    } catch {
      await browser.tabs.create({ url }); // browsers without popup windows (Firefox for Android)
    }
    return { done: true };
  },

  async 'content/load-card'(_, sender) {
    if (sender.tabId === null) throw new Error('content/load-card: not from a tab');
    await browser.scripting.executeScript({ target: { tabId: sender.tabId, frameIds: [sender.frameId ?? 0] }, files: [DETAIL_CARD_SCRIPT] });
    return { done: true };
  },

  async 'content/task-seen'({ task }) {
    return { task: await rememberTask(task) };
  },
};
