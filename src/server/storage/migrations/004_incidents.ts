/**
 * The suspension early warning (issue 11).
 * - A report is one submission (`report_id`) that may involve several requesters: one
 *   `suspension_reports` row per account and requester involved, as before, now tagged
 *   with the submission it came from; withdrawn reports keep their row (`withdrawn_at`)
 *   but leave every count.
 * - `suspension_report_tasks`: each picked task under its OWN requester, for correlation
 *   per (requester, task group) across all reports.
 * - `incidents`: opened once per (requester, task group) — `task_key` '' for a
 *   requester-wide one — by the UNIQUE constraint, whatever the number of processes.
 * - `webhook_deliveries`: an outbox of signed notifications to the maintainers' webhook,
 *   written in the transaction that opened or changed the incident.
 */
import type { Migration } from './migration.js';

export const migration004: Migration = {
  version: 4,
  name: 'incidents',
  statements: () => [
    `ALTER TABLE suspension_reports ADD COLUMN report_id TEXT`,
    `ALTER TABLE suspension_reports ADD COLUMN withdrawn_at BIGINT`,
    `ALTER TABLE suspension_reports ADD COLUMN note_purged_at BIGINT`,
    `UPDATE suspension_reports SET report_id = id`,
    `CREATE INDEX suspension_reports_report ON suspension_reports (report_id)`,
    `CREATE TABLE suspension_report_tasks (
      report_row_id TEXT NOT NULL REFERENCES suspension_reports (id),
      account_id TEXT NOT NULL REFERENCES accounts (id),
      requester_key TEXT NOT NULL,
      task_id TEXT NOT NULL,
      task_title TEXT NOT NULL,
      reported_at BIGINT NOT NULL,
      PRIMARY KEY (report_row_id, task_id)
    )`,
    `CREATE INDEX suspension_report_tasks_task ON suspension_report_tasks (requester_key, task_id, reported_at)`,
    `CREATE INDEX suspension_report_tasks_reported ON suspension_report_tasks (reported_at)`,
    `CREATE TABLE incidents (
      id TEXT PRIMARY KEY,
      requester_key TEXT NOT NULL,
      task_key TEXT NOT NULL,
      task_title TEXT NOT NULL DEFAULT '',
      trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('shared_task', 'report_rate')),
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed')),
      accounts INTEGER NOT NULL,
      reports INTEGER NOT NULL,
      replicated TEXT CHECK (replicated IN ('investigating', 'confirmed')),
      first_report_at BIGINT NOT NULL,
      last_report_at BIGINT NOT NULL,
      opened_at BIGINT NOT NULL,
      decided_at BIGINT,
      closed_at BIGINT,
      UNIQUE (requester_key, task_key)
    )`,
    `CREATE INDEX incidents_status ON incidents (status, opened_at)`,
    `CREATE TABLE webhook_deliveries (
      id TEXT PRIMARY KEY,
      event TEXT NOT NULL,
      body_json TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at BIGINT NOT NULL,
      claimed_until BIGINT,
      delivered_at BIGINT,
      last_error TEXT
    )`,
    `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (delivered_at, next_attempt_at)`,
  ],
};
