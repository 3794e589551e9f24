/**
 * Moderation: roles (granted only by the `npm run moderator` command), the audit log,
 * review-flag and requester-flag resolution, banned accounts and merged requester keys.
 */
import type { Migration } from './migration.js';

export const migration002: Migration = {
  version: 2,
  name: 'moderation',
  statements: () => [
    `CREATE TABLE account_roles (
      account_id TEXT PRIMARY KEY REFERENCES accounts (id),
      role TEXT NOT NULL CHECK (role IN ('moderator', 'admin')),
      pseudonym TEXT NOT NULL UNIQUE,
      granted_at BIGINT NOT NULL
    )`,
    `CREATE TABLE audit_log (
      id TEXT PRIMARY KEY,
      at BIGINT NOT NULL,
      moderator TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      reason TEXT NOT NULL,
      detail_json TEXT NOT NULL
    )`,
    `CREATE INDEX audit_log_at ON audit_log (at, id)`,
    `CREATE INDEX audit_log_action ON audit_log (action, at)`,
    `ALTER TABLE accounts ADD COLUMN banned_at BIGINT`,
    `ALTER TABLE requesters ADD COLUMN merged_into TEXT`,
    `ALTER TABLE review_flags ADD COLUMN resolved_at BIGINT`,
    `CREATE INDEX review_flags_open ON review_flags (resolved_at, review_id)`,
    `ALTER TABLE requester_flags ADD COLUMN status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed'))`,
    `CREATE INDEX requester_flags_status ON requester_flags (status, requester_key)`,
    `CREATE INDEX suspension_reports_status ON suspension_reports (status, requester_key)`,
    `CREATE INDEX reviews_status ON reviews (status, created_at)`,
    `CREATE INDEX reviews_account ON reviews (account_id)`,
    `CREATE INDEX suspension_reports_account ON suspension_reports (account_id)`,
    `CREATE INDEX requester_flags_account ON requester_flags (account_id)`,
  ],
};
