/**
 * PostgreSQL through a pg pool. `?` placeholders become `$n`; BIGINT comes back as a
 * number (every BIGINT here is a millisecond time, a sequence or a count, all far below
 * 2^53). A `schema` (from the option or `?schema=` in the URL) isolates test runs.
 */
import pg from 'pg';
import type { SqlDriver, SqlExecutor, SqlValue } from './driver.js';

const INT8 = 20;
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const placeholderCache = new Map<string, string>();
function toPostgres(sql: string): string {
  let converted = placeholderCache.get(sql);
  if (converted === undefined) {
    let n = 0;
    converted = sql.replace(/\?/g, () => `$${++n}`);
    placeholderCache.set(sql, converted);
  }
  return converted;
}

function executor(client: pg.PoolClient, atCommit: [string, readonly SqlValue[]][]): SqlExecutor {
  return {
    dialect: 'postgres',
    runAtCommit(sql, params = []) {
      atCommit.push([sql, params]);
    },
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query({ text: toPostgres(sql), values: params as SqlValue[] });
      return result.rows as T[];
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query({ text: toPostgres(sql), values: params as SqlValue[] });
      return result.rowCount ?? 0;
    },
  };
}

export function splitSchema(url: string): { url: string; schema: string | null } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema };
}

export function openPostgresDriver(url: string, options: { schema?: string; maxConnections?: number } = {}): SqlDriver {
  const split = splitSchema(url);
  const schema = options.schema ?? split.schema;
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('schema must be a plain lowercase identifier');
  const pool = new pg.Pool({
    connectionString: split.url,
    max: options.maxConnections ?? 10,
    types,
    // search_path at connect time: every statement of every client then uses the schema.
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });

  async function transaction<T>(begin: string, fn: (tx: SqlExecutor) => Promise<T>, setup: string[] = []): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query(begin);
      for (const statement of setup) await client.query(statement);
      const atCommit: [string, readonly SqlValue[]][] = [];
      const result = await fn(executor(client, atCommit));
      // Queued together: pg sends COMMIT the moment the last statement completes, inside
      // its own socket callback, so locks taken by the last statement are held one round trip.
      // If a statement fails, Postgres turns the COMMIT into a rollback and we rethrow.
      const last = atCommit.map(([sql, params]) => client.query({ text: toPostgres(sql), values: params as SqlValue[] }));
      const commit = client.query('COMMIT');
      commit.catch(() => undefined); // awaited below; a failed statement rejects first
      await Promise.all(last);
      await commit;
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    dialect: 'postgres',
    write: (fn) => transaction('BEGIN', fn),
    read: (fn) => transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      const result = await pool.query({ text: toPostgres(sql), values: params as SqlValue[] });
      return result.rows as T[];
    },
    // One fixed advisory lock id: two server processes starting together migrate in turn.
    exclusive: (fn) =>
      transaction('BEGIN', fn, [
        'SELECT pg_advisory_xact_lock(7215044)',
        ...(schema ? [`CREATE SCHEMA IF NOT EXISTS ${schema}`] : []),
      ]),
    close: () => pool.end(),
  };
}
