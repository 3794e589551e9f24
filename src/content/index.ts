/**
 * Content script entry. It never touches the network: every answer comes from the
 * background's local replica, in one batched message per page scan. It also answers the
 * popup's question "what is on this page?" from the page itself.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { CONTENT_MESSAGES, DIAGNOSTIC_PROBLEMS, TAB_MESSAGES, type PageInfo } from '../core/messages.js';
import { makeReceiver, makeSender } from '../core/messaging.js';
import { adapterFor } from '../platforms/index.js';
import type { PlatformAdapter } from '../platforms/types.js';
import { watchPage } from './page-watcher.js';

const sendMessage = makeSender(CONTENT_MESSAGES, (message) => browser.runtime.sendMessage(message));

/** Remembers the task on a task page (only in this browser) and returns what is known of it. */
async function taskSeen(adapter: PlatformAdapter): Promise<PageInfo['task']> {
  const task = adapter.task(document, new URL(location.href));
  if (!task) return null;
  const { task: remembered } = await sendMessage('content/task-seen', {
    task: {
      requester: task.requester,
      requesterName: task.requesterName,
      taskId: task.taskId,
      taskTitle: task.taskTitle,
      reward: task.reward,
      acceptedAt: task.accepted ? Date.now() : null,
      seenAt: Date.now(),
    },
  });
  return { ...task, acceptedAt: remembered.acceptedAt };
}

function start(adapter: PlatformAdapter): void {
  let enabled = true;
  const watcher = watchPage(document, {
    adapter,
    lookup: async (keys) => {
      const answer = await sendMessage('content/lookup', { platform: adapter.platform, keys });
      if (!answer.enabled && enabled) {
        enabled = false;
        watcher.stop();
      }
      return answer.results;
    },
    report: (page, problem) => {
      const known = (DIAGNOSTIC_PROBLEMS as readonly string[]).includes(problem);
      void sendMessage('content/diagnostic', {
        platform: adapter.platform,
        page: page.slice(0, 40),
        problem: known ? (problem as (typeof DIAGNOSTIC_PROBLEMS)[number]) : 'adapter_threw',
      }).catch(() => undefined);
    },
  });

  const receive = makeReceiver(TAB_MESSAGES, {
    async 'tab/page-info'() {
      const url = new URL(location.href);
      const scan = adapter.scan(document, url);
      const requesters = [...new Map(scan.spots.map((s) => [s.key, { key: s.key, name: s.name }])).values()];
      return { platform: adapter.platform, page: scan.page, requesters, task: await taskSeen(adapter) };
    },
  });
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
    // Only our own extension pages (the popup) may ask; they have no tab.
    const fromOurPage = sender.id === browser.runtime.id && !sender.tab;
    return receive(message, fromOurPage ? 'ui' : null);
  });
  void taskSeen(adapter).catch(() => undefined);
}

const adapter = adapterFor(new URL(location.href));
if (adapter) start(adapter);
