/**
 * Content script entry. It never touches the network: every answer comes from the
 * background's local replica, in one batched message per page scan.
 */
import { sendMessage } from '../core/messaging.js';
import { DIAGNOSTIC_PROBLEMS } from '../core/messages.js';
import { adapterFor } from '../platforms/index.js';
import { watchPage } from './page-watcher.js';

const adapter = adapterFor(new URL(location.href));
if (adapter) {
  watchPage(document, {
    adapter,
    lookup: async (keys) => (await sendMessage('content/lookup', { keys })).results,
    report: (page, problem) => {
      const known = (DIAGNOSTIC_PROBLEMS as readonly string[]).includes(problem);
      void sendMessage('content/diagnostic', {
        platform: adapter.platform,
        page: page.slice(0, 40),
        problem: known ? (problem as (typeof DIAGNOSTIC_PROBLEMS)[number]) : 'adapter_threw',
      }).catch(() => undefined);
    },
  });
}
