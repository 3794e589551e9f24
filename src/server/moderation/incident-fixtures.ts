/**
 * Tests only: rows written straight into a test database — an incident as the server's
 * detection leaves it, webhook deliveries — so the moderation side and the webhook sender
 * are tested on their own, whatever opened the incident.
 */
import { openPostgresDriver } from '../storage/postgres-driver.js';
import { openSqliteDriver } from '../storage/sqlite-driver.js';
import type { SqlExecutor } from '../storage/driver.js';
import type { TestDatabase } from '../testing/databases.js';

export async function withSql<T>(db: TestDatabase, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  const driver = db.backend === 'sqlite' ? openSqliteDriver(db.database) : openPostgresDriver(db.database, db.options.schema ? { schema: db.options.schema } : {});
  try {
    return await driver.write(fn);
  } finally {
    await driver.close();
  }
}

export interface IncidentSeed {
  id: string;
  requester: string;
  /** '' for a requester-wide incident. */
  taskId?: string;
  taskTitle?: string;
  trigger?: 'shared_task' | 'report_rate';
  status?: 'open' | 'confirmed' | 'dismissed';
  replicated?: 'investigating' | 'confirmed' | null;
  accounts?: number;
  reports?: number;
  openedAt: number;
}

export function seedIncident(db: TestDatabase, seed: IncidentSeed): Promise<number> {
  return withSql(db, (tx) =>
    tx.run(
      `INSERT INTO incidents (id, requester_key, task_key, task_title, trigger_kind, status, accounts, reports, replicated, first_report_at, last_report_at, opened_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        seed.id,
        seed.requester,
        seed.taskId ?? '',
        seed.taskTitle ?? '',
        seed.trigger ?? (seed.taskId ? 'shared_task' : 'report_rate'),
        seed.status ?? 'open',
        seed.accounts ?? 3,
        seed.reports ?? 3,
        seed.replicated === undefined ? 'investigating' : seed.replicated,
        seed.openedAt - 3_600_000,
        seed.openedAt,
        seed.openedAt,
      ],
    ),
  );
}

export function seedDelivery(db: TestDatabase, id: string, body: string, now: number, event = 'incident.opened'): Promise<number> {
  return withSql(db, (tx) =>
    tx.run('INSERT INTO webhook_deliveries (id, event, body_json, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)', [id, event, body, now, now]),
  );
}
