/**
 * Real databases for tests: a fresh SQLite file, or a fresh Postgres schema (dropped
 * afterwards) when LANTERN_PG_URL is set. Without it, Postgres suites are skipped with
 * a printed reason — except under CI, where they must fail loudly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { OpenOptions } from '../storage/sql-storage.js';

export type BackendName = 'sqlite' | 'postgres';

export interface TestDatabase {
  backend: BackendName;
  /** What `openStorage` / `startServer` take. */
  database: string;
  options: OpenOptions;
  /** Every row of every table, as text, for privacy and "nothing changed" checks. */
  dumpTables(): Promise<Record<string, string[]>>;
  drop(): Promise<void>;
}

const PG_URL = process.env.LANTERN_PG_URL;

/** The backends a suite should run on, with `skip` set (and a reason printed) when unavailable. */
export function testBackends(): { backend: BackendName; skip: boolean }[] {
  if (!PG_URL && !process.env.CI) {
    console.log('Postgres tests skipped: set LANTERN_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them.');
  }
  // Under CI a missing URL is not skipped: createTestDatabase('postgres') then throws.
  return [
    { backend: 'sqlite', skip: false },
    { backend: 'postgres', skip: !PG_URL && !process.env.CI },
  ];
}

export async function createTestDatabase(backend: BackendName): Promise<TestDatabase> {
  return backend === 'sqlite' ? createSqlite() : createPostgres();
}

function createSqlite(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-test-'));
  const file = join(dir, 'db', 'lantern.sqlite');
  return {
    backend: 'sqlite',
    database: file,
    options: {},
    async dumpTables() {
      const db = new Database(file, { readonly: true });
      try {
        const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[];
        const out: Record<string, string[]> = {};
        for (const { name } of tables) {
          out[name] = (db.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((row) => JSON.stringify(row)).sort();
        }
        return out;
      } finally {
        db.close();
      }
    },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgres(): Promise<TestDatabase> {
  if (!PG_URL) throw new Error('CI is set but LANTERN_PG_URL is not: the Postgres contract suite must run in CI');
  const schema = `lantern_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    backend: 'postgres',
    database: PG_URL,
    options: { schema },
    dumpTables: () =>
      admin(async (client) => {
        const tables = await client.query<{ table_name: string }>(
          'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
          [schema],
        );
        const out: Record<string, string[]> = {};
        for (const { table_name } of tables.rows) {
          const rows = await client.query(`SELECT * FROM ${schema}."${table_name}"`);
          out[table_name] = rows.rows.map((row) => JSON.stringify(row)).sort();
        }
        return out;
      }),
    drop: () => admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined),
  };
}
