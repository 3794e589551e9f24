/**
 * `npm run backup -- --database data/lantern.sqlite --to backups/lantern.sqlite`
 *
 * An online backup of a SQLite database while the server runs: SQLite's backup API
 * (better-sqlite3 `backup()`) copies a consistent state page by page without stopping
 * writers. Restore = stop the server, put the copy in place of the database file (remove
 * any `-wal`/`-shm` files beside the old one), start the server. PostgreSQL uses its own
 * tools (`pg_dump`/`pg_restore`, docs/deploy.md).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

/** Copies `database` to `to` (which must not exist); returns the copy's page count. */
export async function backupSqlite(database: string, to: string): Promise<{ pages: number }> {
  if (/^postgres(ql)?:\/\//.test(database)) throw new Error('a PostgreSQL database: use pg_dump (docs/deploy.md, "Backups and restore")');
  if (!existsSync(database)) throw new Error(`no database at ${database}`);
  if (existsSync(to)) throw new Error(`${to} exists already: choose a new file`);
  mkdirSync(dirname(resolve(to)), { recursive: true });
  const source = new Database(database, { readonly: true, fileMustExist: true });
  try {
    const result = await source.backup(to);
    const copy = new Database(to, { readonly: true });
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed SQLite's integrity check: ${String(check)}`);
    } finally {
      copy.close();
    }
    return { pages: result.totalPages };
  } finally {
    source.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { database: { type: 'string' }, to: { type: 'string' } } });
  const database = values.database ?? process.env.LANTERN_DATABASE ?? 'data/lantern.sqlite';
  const to = values.to ?? `backups/lantern-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`;
  try {
    const { pages } = await backupSqlite(database, to);
    console.log(`Backed up ${database} to ${to} (${pages} pages, integrity ok)`);
  } catch (error) {
    console.error(`backup failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
