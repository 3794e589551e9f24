/**
 * The first schema. Times are milliseconds since 1970 (BIGINT), booleans are 0/1
 * integers and JSON is TEXT, so the same SQL runs on SQLite and PostgreSQL.
 * Nothing here can hold an identity: accounts are a random id, a secret's hash and dates.
 */
import type { Migration } from './migration.js';

export const migration001: Migration = {
  version: 1,
  name: 'init',
  statements: (dialect) => {
    // Bucket ranges compare hex strings byte-wise; Postgres's default collation might not.
    const bytewise = dialect === 'postgres' ? ' COLLATE "C"' : '';
    return [
      `CREATE TABLE server_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
      `CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq BIGINT NOT NULL,
        checksum_sum BIGINT NOT NULL,
        row_count BIGINT NOT NULL,
        aged_through BIGINT NOT NULL
      )`,
      `CREATE TABLE rules_versions (version INTEGER PRIMARY KEY, rules_json TEXT NOT NULL, published_at BIGINT NOT NULL)`,
      `CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        muted_until BIGINT
      )`,
      `CREATE TABLE requesters (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        bucket TEXT${bytewise} NOT NULL,
        seq BIGINT NOT NULL,
        row_json TEXT NOT NULL,
        row_digest BIGINT NOT NULL,
        suspension_confirmed INTEGER NOT NULL DEFAULT 0,
        phishing_confirmed INTEGER NOT NULL DEFAULT 0,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE INDEX requesters_seq ON requesters (seq)`,
      `CREATE INDEX requesters_bucket ON requesters (bucket)`,
      `CREATE TABLE reviews (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        requester_key TEXT NOT NULL REFERENCES requesters (key),
        task_id TEXT NOT NULL,
        author_pseudonym TEXT NOT NULL,
        body_json TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        edited_at BIGINT,
        author_young INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden', 'held')),
        status_reason TEXT,
        deleted_at BIGINT,
        UNIQUE (account_id, requester_key, task_id)
      )`,
      `CREATE INDEX reviews_requester ON reviews (requester_key, created_at)`,
      `CREATE INDEX reviews_created ON reviews (created_at)`,
      `CREATE TABLE suspension_reports (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        requester_key TEXT NOT NULL REFERENCES requesters (key),
        suspended_on TEXT NOT NULL,
        reinstated INTEGER NOT NULL,
        tasks_json TEXT NOT NULL,
        note TEXT NOT NULL,
        reported_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed')),
        UNIQUE (account_id, requester_key)
      )`,
      `CREATE INDEX suspension_reports_requester ON suspension_reports (requester_key)`,
      `CREATE INDEX suspension_reports_reported ON suspension_reports (reported_at)`,
      `CREATE TABLE requester_flags (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        requester_key TEXT NOT NULL REFERENCES requesters (key),
        reason TEXT NOT NULL,
        task_id TEXT,
        note TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (account_id, requester_key, reason)
      )`,
      `CREATE INDEX requester_flags_requester ON requester_flags (requester_key)`,
      `CREATE TABLE review_flags (
        id TEXT PRIMARY KEY,
        review_id TEXT NOT NULL REFERENCES reviews (id),
        account_id TEXT NOT NULL REFERENCES accounts (id),
        reason TEXT NOT NULL,
        note TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (review_id, account_id)
      )`,
      `CREATE TABLE idempotency (
        account_id TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        body_json TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, key)
      )`,
      `CREATE INDEX idempotency_created ON idempotency (created_at)`,
    ];
  },
};
