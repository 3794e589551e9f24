/** What the background does for each content-script message. */
import type { CONTENT_MESSAGES } from '../core/messages.js';
import type { Handlers } from '../core/messaging.js';
import { assess } from '../core/rating.js';
import { countProblem } from './diagnostics.js';
import { rememberTask } from './recent-tasks.js';
import { getSummaries } from './replica.js';
import browser from 'webextension-polyfill';
import { reviewsFor } from './reviews-cache.js';
import { getRules, getSettings, updateSettings } from './settings.js';

export const contentHandlers: Handlers<typeof CONTENT_MESSAGES> = {
  async 'content/lookup'({ platform, keys }) {
    const unique = [...new Set(keys)];
    const [settings, rules] = await Promise.all([getSettings(), getRules()]);
    const { thresholds, filterMode } = settings;
    if (!settings.platforms[platform]) return { enabled: false, filterMode, results: [] };
    const summaries = await getSummaries(unique, rules);
    const blocked = new Set(settings.blocklist.map((entry) => entry.key));
    return {
      enabled: true,
      filterMode,
      results: unique.map((key) => {
        const summary = summaries.get(key) ?? null;
        return { key, summary, assessment: assess(summary, thresholds, rules), blocked: blocked.has(key) };
      }),
    };
  },

  async 'content/diagnostic'({ platform, page, problem }) {
    return { counted: await countProblem(platform, page, problem) };
  },

  async 'content/requester-reviews'({ key }) {
    try {
      return { reviews: (await reviewsFor(key)).slice(0, 5), error: null };
    } catch (error) {
      return { reviews: null, error: error instanceof Error ? error.message : String(error) };
    }
  },

  async 'content/block'({ key, name }) {
    const { blocklist } = await getSettings();
    if (!blocklist.some((entry) => entry.key === key)) {
      const addedOn = new Date().toISOString().slice(0, 10);
      await updateSettings({ blocklist: [...blocklist, { key, name, addedOn }] });
    }
    return { blocked: true };
  },

  async 'content/open-form'({ form, key }, sender) {
    // The popup, in a tab of its own, pointed at the page the worker was on.
    const params = new URLSearchParams({ form, requester: key });
    if (sender.tabId !== null) params.set('tab', String(sender.tabId));
    await browser.tabs.create({ url: browser.runtime.getURL(`popup.html?${params}`) });
    return { done: true };
  },

  async 'content/task-seen'({ task }) {
    return { task: await rememberTask(task) };
  },
};
