/** What the background does for each message. One function per message type. */
import { assess } from '../core/rating.js';
import type { MessageType, ParsedRequestOf, ResponseOf } from '../core/messages.js';
import { countProblem } from './diagnostics.js';
import { getSummaries } from './replica.js';
import { getRules, getThresholds } from './settings.js';

type Handlers = { [T in MessageType]: (request: ParsedRequestOf<T>) => Promise<ResponseOf<T>> };

export const handlers: Handlers = {
  async 'content/lookup'({ keys }) {
    const unique = [...new Set(keys)];
    const [summaries, thresholds, rules] = await Promise.all([getSummaries(unique), getThresholds(), getRules()]);
    return {
      results: unique.map((key) => {
        const summary = summaries.get(key) ?? null;
        return { key, summary, assessment: assess(summary, thresholds, rules) };
      }),
    };
  },

  async 'content/diagnostic'({ platform, page, problem }) {
    return { counted: await countProblem(platform, page, problem) };
  },
};
