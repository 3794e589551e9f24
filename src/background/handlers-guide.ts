/**
 * The worker's guides: the "How Lantern decides" page (the rules in force, in words) and
 * the welcome page a new install opens.
 */
import browser from 'webextension-polyfill';
import type { CONTENT_MESSAGES } from '../core/messages.js';
import type { UI_MESSAGES } from '../core/messages-ui.js';
import type { Handlers } from '../core/messaging.js';
import { Rules } from '../core/rules.js';
import { getRules } from './settings.js';

const RULES_PAGE = 'rules.html';
const WELCOME_PAGE = 'welcome.html';

export const guideUiHandlers: Handlers<Pick<typeof UI_MESSAGES, 'ui/rules'>> = {
  async 'ui/rules'() {
    // getRules falls back to version 1's defaults; the page says which it shows.
    const [rules, stored] = await Promise.all([getRules(), browser.storage.local.get('rules')]);
    return { rules, fromServer: Rules.safeParse(stored.rules).success };
  },
};

export const guideContentHandlers: Handlers<Pick<typeof CONTENT_MESSAGES, 'content/open-rules'>> = {
  async 'content/open-rules'() {
    await browser.tabs.create({ url: browser.runtime.getURL(RULES_PAGE) });
    return { done: true };
  },
};

/**
 * A first install opens the welcome page; an update, a reload or a browser update never
 * does (the worker has seen it, and settings survive those). Once per profile: Chromium
 * reports an unpacked extension loaded from the command line as installed again at every
 * start, with its storage kept, so the page remembers it was shown.
 */
export function welcomeOnInstall(): void {
  browser.runtime.onInstalled.addListener(({ reason }) => (reason === 'install' ? welcomeOnce() : undefined));
}

async function welcomeOnce(): Promise<void> {
  const { welcomed } = await browser.storage.local.get('welcomed');
  if (welcomed) return;
  await browser.storage.local.set({ welcomed: true });
  await browser.tabs.create({ url: browser.runtime.getURL(WELCOME_PAGE) });
}
