/** Applies pending migrations inside one exclusive transaction, then seeds first-start state. */
import { randomBytes } from 'node:crypto';
import { DEFAULT_RULES } from '../../core/rules.js';
import type { SqlDriver, SqlExecutor } from './driver.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';

async function appliedVersion(tx: SqlExecutor): Promise<number> {
  await tx.run(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
  const rows = await tx.all<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}

/** Returns the versions it applied. */
export async function migrate(driver: SqlDriver, migrations: readonly Migration[] = MIGRATIONS, now = Date.now()): Promise<number[]> {
  return driver.exclusive(async (tx) => {
    const current = await appliedVersion(tx);
    const known = migrations.at(-1)?.version ?? 0;
    if (current > known) {
      throw new Error(`the database is at schema version ${current}, newer than this server (${known}); upgrade the server`);
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      for (const statement of migration.statements(tx.dialect)) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, now]);
      applied.push(migration.version);
    }
    await seed(tx, now);
    return applied;
  });
}

/** First start: the database's epoch (names its version tokens), the pseudonym pepper, rules v1. */
async function seed(tx: SqlExecutor, now: number): Promise<void> {
  const meta = (name: string, value: string) =>
    tx.run('INSERT INTO server_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [name, value]);
  await meta('epoch', randomBytes(6).toString('base64url'));
  await meta('pseudonym_pepper', randomBytes(32).toString('base64url'));
  await tx.run(
    'INSERT INTO sync_state (id, seq, checksum_sum, row_count, aged_through) VALUES (1, 0, 0, 0, ?) ON CONFLICT (id) DO NOTHING',
    [now],
  );
  await tx.run('INSERT INTO rules_versions (version, rules_json, published_at) VALUES (1, ?, ?) ON CONFLICT (version) DO NOTHING', [
    JSON.stringify(DEFAULT_RULES),
    now,
  ]);
}
