/**
 * Migration 002's index on reviews (status, created_at) misled SQLite's planner: for "the
 * visible reviews of these requesters" it preferred that index (every review is
 * 'visible') over reviews (requester_key, created_at), and a bucket read on a
 * million-review database took 100 s instead of milliseconds. Leading with status and
 * then the requester serves both the public reads (status = 'visible' AND requester = ?)
 * and the moderation queues (status = 'held' / 'hidden').
 */
import type { Migration } from './migration.js';

export const migration003: Migration = {
  version: 3,
  name: 'review status index',
  statements: () => [
    `DROP INDEX reviews_status`,
    `CREATE INDEX reviews_status_requester ON reviews (status, requester_key, created_at)`,
  ],
};
