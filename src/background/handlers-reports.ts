/**
 * The worker's own suspension reports, for the popup's "My reports": asked from the
 * server with the account's secret. Changes to them go through the outbox
 * (`suspension-edit`, `suspension-withdraw`), like every other write.
 */
import type { UI_MESSAGES } from '../core/messages-ui.js';
import type { Handlers } from '../core/messaging.js';
import { OwnSuspensionReports } from '../core/sync-protocol.js';
import { getSecret } from './account.js';
import { callServer, readJson } from './server-api.js';

export const reportHandlers: Pick<Handlers<typeof UI_MESSAGES>, 'ui/my-reports'> = {
  async 'ui/my-reports'() {
    // No account yet: nothing was ever delivered from this browser.
    const secret = await getSecret();
    if (!secret) return { reports: [], error: null };
    try {
      const body = OwnSuspensionReports.safeParse(await readJson(await callServer('/v1/suspension-reports/mine', { secret })));
      return body.success ? { reports: body.data.reports, error: null } : { reports: [], error: 'The server sent reports Lantern cannot read.' };
    } catch (error) {
      return { reports: [], error: error instanceof Error ? error.message : String(error) };
    }
  },
};
