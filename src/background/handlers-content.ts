/** What the background does for each content-script message. */
import type { CONTENT_MESSAGES } from '../core/messages.js';
import type { Handlers } from '../core/messaging.js';
import { assess } from '../core/rating.js';
import { countProblem } from './diagnostics.js';
import { rememberTask } from './recent-tasks.js';
import { getSummaries } from './replica.js';
import { getRules, getSettings } from './settings.js';

export const contentHandlers: Handlers<typeof CONTENT_MESSAGES> = {
  async 'content/lookup'({ platform, keys }) {
    const unique = [...new Set(keys)];
    const [settings, rules] = await Promise.all([getSettings(), getRules()]);
    if (!settings.platforms[platform]) return { enabled: false, results: [] };
    const summaries = await getSummaries(unique, rules);
    const { thresholds } = settings;
    return {
      enabled: true,
      results: unique.map((key) => {
        const summary = summaries.get(key) ?? null;
        return { key, summary, assessment: assess(summary, thresholds, rules) };
      }),
    };
  },

  async 'content/diagnostic'({ platform, page, problem }) {
    return { counted: await countProblem(platform, page, problem) };
  },

  async 'content/task-seen'({ task }) {
    return { task: await rememberTask(task) };
  },
};
