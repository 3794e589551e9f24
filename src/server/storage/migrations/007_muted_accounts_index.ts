/**
 * The hourly aging job (`requestersCrossingWindows`) looks for accounts whose mute ended in
 * the last hour and joins their reviews, reports and flags. Without an index on
 * `muted_until` SQLite walked every review (5M at the design's scale) and joined its
 * account: 80 s on a loaded 2-core machine, holding the server's only thread, at every
 * start and every hour. With it, the few muted accounts are found first and their rows by
 * the `account_id` indexes: well under a millisecond. Partial: almost no account is ever
 * muted, and both databases use it for a range on `muted_until` (which implies NOT NULL).
 */
import type { Migration } from './migration.js';

export const migration007: Migration = {
  version: 7,
  name: 'muted accounts index',
  statements: () => [`CREATE INDEX accounts_muted ON accounts (muted_until) WHERE muted_until IS NOT NULL`],
};
