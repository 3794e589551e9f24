/**
 * Which API process runs the periodic jobs (issue 14): with several processes on one
 * PostgreSQL, the one holding a session advisory lock on a dedicated connection. The lock
 * belongs to that connection, so when the leader dies (or its connection does) PostgreSQL
 * releases it and another process takes it at its next try — failover within `retryMs`.
 * On SQLite there is one process: it is always the leader.
 *
 * A leader that loses its connection stops being leader at once (the `error`/`end` event),
 * before it could learn that someone else took over; the job-run claim (job_runs) covers
 * the moment in between, so a period's run still happens once.
 */
import pg from 'pg';
import { fnv1a32 } from '../../core/hash.js';
import { splitSchema } from '../storage/postgres-driver.js';

export interface Leadership {
  isLeader(): boolean;
  /** Settles once the first try to lead is over (won or not), so a lone process starts as leader. */
  ready(): Promise<void>;
  /** Called with true on becoming leader, false on losing it. */
  onChange(listener: (leader: boolean) => void): void;
  close(): Promise<void>;
}

export function alwaysLeader(): Leadership {
  return { isLeader: () => true, ready: async () => undefined, onChange: () => undefined, close: async () => undefined };
}

export interface LeaderLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** The two int4 keys of the lock: one pair per schema, so test schemas in one database don't compete. */
function leaderLockKeys(schema: string | null): [number, number] {
  return [0x4c414e54 | 0, fnv1a32(`lantern-leader:${schema ?? ''}`) | 0];
}

export function postgresLeadership(databaseUrl: string, options: { retryMs?: number; log?: LeaderLog; schemaOverride?: string } = {}): Leadership {
  const { url, schema: urlSchema } = splitSchema(databaseUrl);
  const schema = options.schemaOverride ?? urlSchema;
  const [k1, k2] = leaderLockKeys(schema);
  const retryMs = options.retryMs ?? 2_000;
  const listeners: ((leader: boolean) => void)[] = [];
  let client: pg.Client | null = null;
  let leader = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const setLeader = (next: boolean) => {
    if (next === leader) return;
    leader = next;
    options.log?.info({ leader }, leader ? 'became the leader (runs the periodic jobs)' : 'no longer the leader');
    for (const listener of listeners) listener(next);
  };

  const schedule = (ms: number) => {
    if (closed || timer) return;
    timer = setTimeout(() => void attempt(), ms);
    timer.unref();
  };

  async function connect(): Promise<pg.Client> {
    // application_name lets an operator see (and the cluster test end) the lock's connection.
    // Keepalive and a query timeout: a connection that died without a word (a network cut)
    // makes this process step down rather than believe itself leader indefinitely.
    const fresh = new pg.Client({
      connectionString: url,
      application_name: `lantern-leader:${schema ?? ''}`.slice(0, 63),
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      // A connect to an unreachable host fails here rather than at the OS's timeout (minutes).
      connectionTimeoutMillis: 10_000,
      query_timeout: Math.max(5_000, retryMs * 2),
    });
    const lost = () => {
      // Only the connection in use counts: an old one ending late must not unseat a new leader.
      if (client !== fresh) return;
      client = null;
      setLeader(false);
      schedule(retryMs);
    };
    fresh.on('error', (err) => {
      options.log?.warn({ err: { type: err.name } }, 'leader connection failed');
      lost();
    });
    fresh.on('end', lost);
    await fresh.connect();
    return fresh;
  }

  async function attempt(): Promise<void> {
    timer = null;
    if (closed) return;
    try {
      client ??= await connect();
      if (leader) {
        // Holding: a cheap query now and then notices a connection that died silently.
        await client.query('SELECT 1');
      } else {
        const held = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS held', [k1, k2]);
        if (held.rows[0]?.held) setLeader(true);
      }
    } catch {
      // A failed connect or query: drop the connection (and with it any lock) and try again.
      const dead = client;
      client = null;
      setLeader(false);
      await dead?.end().catch(() => undefined);
    }
    schedule(leader ? retryMs * 2 : retryMs);
  }

  const first = attempt();
  return {
    isLeader: () => leader,
    ready: () => first,
    onChange: (listener) => void listeners.push(listener),
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      setLeader(false);
      const last = client;
      client = null;
      // Ending the session releases the lock at once: the next process need not wait for a timeout.
      await last?.end().catch(() => undefined);
    },
  };
}
