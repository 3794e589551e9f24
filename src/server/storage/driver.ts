/**
 * The little SQL both backends speak. The storage logic is written once against this
 * interface (portable SQL with `?` placeholders); each driver maps it to its database.
 * Sharing the logic, rather than writing it twice, keeps the aggregation rules exact
 * on both backends — the contract suite then checks the drivers really agree.
 */
export type SqlValue = string | number | null;
export type Dialect = 'sqlite' | 'postgres';

export interface SqlExecutor {
  readonly dialect: Dialect;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Returns how many rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Run this statement as the transaction's last, sent together with COMMIT where the
   * driver can: the row locks it takes are then held for one round trip, not two.
   * A failure still fails (and rolls back) the whole transaction.
   */
  runAtCommit(sql: string, params?: readonly SqlValue[]): void;
}

export interface SqlDriver {
  readonly dialect: Dialect;
  /**
   * One read-write transaction. SQLite: serialized (one writer). Postgres: READ COMMITTED,
   * and the storage takes row locks in a fixed order (idempotency key, requester, sync state).
   */
  write<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** One read-only statement on its own (it is its own snapshot): the cheap path for hot reads. */
  query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** One consistent read-only snapshot over several statements. */
  read<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Run `fn` while holding an exclusive lock across processes (migrations at start-up). */
  exclusive<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A FIFO lock: the SQLite driver runs one transaction at a time on its connection. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
