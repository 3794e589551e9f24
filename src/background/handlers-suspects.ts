/** The popup's view of suspect-task matches (found in this browser, never sent anywhere). */
import type { UI_MESSAGES } from '../core/messages-ui.js';
import type { Handlers } from '../core/messaging.js';
import { dismissMatch, listMatches } from './suspect-matcher.js';

type SuspectMessages = Pick<typeof UI_MESSAGES, 'ui/suspect-matches' | 'ui/suspect-match-dismiss'>;

export const suspectHandlers: Handlers<SuspectMessages> = {
  async 'ui/suspect-matches'() {
    return { matches: await listMatches() };
  },

  async 'ui/suspect-match-dismiss'({ id }) {
    await dismissMatch(id);
    return { done: true };
  },
};
