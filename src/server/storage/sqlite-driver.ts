/**
 * SQLite through better-sqlite3: one write connection (transactions serialized by a
 * mutex, since awaiting inside a transaction would otherwise let another request's
 * statements run inside it) and one read connection, which in WAL mode sees only
 * committed data and never waits for the writer.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Mutex, type SqlDriver, type SqlExecutor, type SqlValue } from './driver.js';

type Db = Database.Database;

type SqliteExecutor = SqlExecutor & { flushAtCommit(): void; discardAtCommit(): void };

function executor(db: Db, cache: Map<string, Database.Statement>): SqliteExecutor {
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
  let atCommit: [string, readonly SqlValue[]][] = [];
  return {
    dialect: 'sqlite',
    runAtCommit(sql, params = []) {
      atCommit.push([sql, params]);
    },
    flushAtCommit() {
      const statements = atCommit;
      atCommit = [];
      for (const [sql, params] of statements) prepare(sql).run(...params);
    },
    discardAtCommit() {
      atCommit = [];
    },
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      const statement = prepare(sql);
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      return prepare(sql).run(...params).changes;
    },
  };
}

export function openSqliteDriver(path: string): SqlDriver {
  mkdirSync(dirname(path), { recursive: true });
  const writer = new Database(path);
  writer.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a power cut may lose the last commits, never corrupts the file.
  writer.pragma('synchronous = NORMAL');
  writer.pragma('busy_timeout = 5000');
  writer.pragma('foreign_keys = ON');
  const reader = new Database(path, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  // SQLite's default page cache is 2 MB; a million reviews want far more. Memory-mapped
  // reads also skip a system call per page.
  for (const db of [writer, reader]) {
    db.pragma('cache_size = -65536');
    db.pragma('mmap_size = 268435456');
  }
  const writeTx = executor(writer, new Map());
  const readTx = executor(reader, new Map());
  const writeLock = new Mutex();
  const readLock = new Mutex();

  async function inTransaction<T>(db: Db, tx: SqliteExecutor, begin: string, fn: (tx: SqlExecutor) => Promise<T>) {
    db.exec(begin);
    try {
      const result = await fn(tx);
      tx.flushAtCommit();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      tx.discardAtCommit();
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  return {
    dialect: 'sqlite',
    write: (fn) => writeLock.run(() => inTransaction(writer, writeTx, 'BEGIN IMMEDIATE', fn)),
    read: (fn) => readLock.run(() => inTransaction(reader, readTx, 'BEGIN', fn)),
    // better-sqlite3 is synchronous: one statement cannot interleave with another's transaction.
    query: <T>(sql: string, params?: readonly SqlValue[]) => (reader.inTransaction ? readLock.run(() => readTx.all<T>(sql, params)) : readTx.all<T>(sql, params)),
    exclusive: (fn) => writeLock.run(() => inTransaction(writer, writeTx, 'BEGIN IMMEDIATE', fn)),
    async close() {
      await writeLock.run(async () => undefined);
      await readLock.run(async () => undefined);
      reader.close();
      writer.close();
    },
  };
}
