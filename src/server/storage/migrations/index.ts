/**
 * Numbered, forward-only migrations, applied in order at start-up. Never edit a
 * released migration: add the next number. A database newer than this code is refused.
 */
import type { Migration } from './migration.js';
import { migration001 } from './001_init.js';
import { migration002 } from './002_moderation.js';
import { migration003 } from './003_review_status_index.js';
import { migration004 } from './004_incidents.js';
import { migration005 } from './005_report_backfill.js';
import { migration006 } from './006_job_runs.js';
import { migration007 } from './007_muted_accounts_index.js';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007];
