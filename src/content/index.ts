/**
 * Content script entry. It never touches the network: every answer comes from the
 * background's local replica, in one batched message per page scan. It also answers the
 * popup's question "what is on this page?" from the page itself.
 */
import { ext, onMessage, portTransport } from '../ui/extension-api.js';
import { CONTENT_MESSAGES, CONTENT_PORT, DIAGNOSTIC_PROBLEMS, TAB_MESSAGES, type PageInfo } from '../core/messages.js';
import { makeReceiver, makeSender } from '../core/messaging.js';
import { adapterFor } from '../platforms/index.js';
import type { PlatformAdapter } from '../platforms/types.js';
import { watchBadgeHints, type HintSource } from './badge-hints.js';
import { watchPage } from './page-watcher.js';
import { lookupResults } from './lookup-answer.js';
import { cutText } from '../core/text-cut.js';

const sendMessage = makeSender(CONTENT_MESSAGES, portTransport(CONTENT_PORT));

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
  let hints: HintSource | null = null;
  const watcher = watchPage(document, {
    adapter,
    hints: () => hints?.current() ?? null,
    lookup: async (keys) => {
      const answer = await sendMessage('content/lookup', { platform: adapter.platform, keys });
      return { enabled: answer.enabled, filterMode: answer.filterMode, results: lookupResults(answer) };
    },
    actions: {
      loadReviews: (key) => sendMessage('content/requester-reviews', { key }),
      loadCard: () => sendMessage('content/load-card', {}),
      recordWork: (observations) => sendMessage('content/work-seen', { observations }),
      openForm: (form, key, from) => {
        // Prefill from what the clicked row shows (a list row), or from the task page's own task.
        let task: { taskId: string; taskTitle: string; reward: { cents: number; currency: 'USD' | 'GBP' | 'EUR' } | null } | null = null;
        try {
          task = (from?.row && adapter.rowTask?.(from.row)) || null;
          const here = task ? null : adapter.task(document, new URL(location.href));
          if (here && here.requester === key) task = { taskId: here.taskId, taskTitle: here.taskTitle, reward: here.reward };
        } catch {
          task = null; // a form without prefill is still a form
        }
        const extra = { ...(from?.name ? { name: cutText(from.name, 200) } : {}), ...(task?.taskId ? { task: { ...task, taskTitle: cutText(task.taskTitle, 300) } } : {}), ...(from?.review ? { review: from.review } : {}) };
        void sendMessage('content/open-form', { form, key, ...extra }).catch(() => undefined);
      },
      async block(key, name) {
        await sendMessage('content/block', { key, name });
        await watcher.refresh();
      },
      async unblock(key) {
        await sendMessage('content/unblock', { key });
        await watcher.refresh();
      },
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

  // The watcher's first scan (above, before the index's meta is read) found the page's
  // requesters: their shards are read with the meta. A new index (replica, settings or
  // rules changed): ask again, showing the old until then.
  const source = watchBadgeHints(
    adapter.platform,
    watcher.keysOnPage(),
    () => void watcher.refresh(),
    () => void watcher.scanNow(),
  );
  hints = source;
  // Rows seen before the index's meta was read get their briefs now, if still waiting.
  void source.ready.then(() => watcher.scanNow());

  // The worker changed settings (blocklist, thresholds, filters, platforms) or rules synced.
  ext.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && ('settings' in changes || 'rules' in changes)) void watcher.refresh();
  });

  const receive = makeReceiver(TAB_MESSAGES, {
    async 'tab/page-info'() {
      const url = new URL(location.href);
      const scan = adapter.scan(document, url);
      const requesters = [...new Map(scan.spots.map((s) => [s.key, { key: s.key, name: s.name }])).values()];
      return { platform: adapter.platform, page: scan.page, requesters, badgeIndexSize: source.current()?.size ?? null, badgeIndexShards: source.current() ? source.shardsHeld() : null, badgeIndexOpenMs: Math.round(source.openMs()), task: await taskSeen(adapter) };
    },
  });
  onMessage((message, sender) => {
    // Only our own extension pages may ask: the popup, also when it is open in a tab (the
    // detail card opens its forms there). Firefox gives such a page's messages a `tab`, so
    // the page is told by its URL; content scripts can't send to a tab at all.
    const fromOurPage = sender.id === ext.runtime.id && (sender.url ?? '').startsWith(ext.runtime.getURL(''));
    return receive(message, fromOurPage ? 'ui' : null);
  });
  void taskSeen(adapter).catch(() => undefined);
}

const adapter = adapterFor(new URL(location.href));
if (adapter) start(adapter);
