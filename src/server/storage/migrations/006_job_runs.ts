/**
 * Several API processes on one PostgreSQL (issue 14): a periodic job's run is claimed by
 * inserting its (job, slot) row — `slot` is the period it belongs to (hour number, day
 * number, rules version) — so each period's run happens once even if two processes both
 * believed themselves leader for a moment. `runner` is a random id the process draws at
 * start (names no machine or person); it lets an operator (and the cluster test) see who ran what.
 */
import type { Migration } from './migration.js';

export const migration006: Migration = {
  version: 6,
  name: 'job runs',
  statements: () => [
    `CREATE TABLE job_runs (
      job TEXT NOT NULL,
      slot BIGINT NOT NULL,
      runner TEXT NOT NULL,
      started_at BIGINT NOT NULL,
      finished_at BIGINT,
      PRIMARY KEY (job, slot)
    )`,
  ],
};
