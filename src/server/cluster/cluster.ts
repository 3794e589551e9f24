/**
 * What one API process needs to behave as one of several on a shared PostgreSQL: the
 * leadership (who runs the periodic jobs) and the change bus (who must drop a cache).
 * On SQLite there is one process: always the leader, events stay in the process.
 */
import { isPostgresUrl } from '../storage/sql-storage.js';
import type { Storage } from '../storage/storage.js';
import { alwaysLeader, postgresLeadership, type Leadership } from './leader.js';
import { localBus, postgresBus, type BusLog, type ChangeBus } from './notify.js';

export interface ClusterOptions {
  /** How often a follower tries to take the leader's lock (default 2 s): the failover time. */
  leaderRetryMs?: number;
  /** How often to poll while the listen connection is down (default 0.5 s). */
  pollMs?: number;
  log?: BusLog;
}

export interface Cluster {
  leadership: Leadership;
  bus: ChangeBus;
  /**
   * How long the leader waits after new rules before recomputing: long enough for most
   * processes to have loaded them (NOTIFY, or the fallback poll), so the recompute rarely
   * meets a write in flight. Not the fence itself: every write reads the newest rules version
   * inside its transaction, after its locks (storage/rules-in-force.ts), so none is
   * computed under superseded rules behind the recompute's cursor. 0 with one process (SQLite).
   */
  rulesSettleMs: number;
  close(): Promise<void>;
}

export function openCluster(database: string, storage: Storage, options: ClusterOptions = {}): Cluster {
  if (!isPostgresUrl(database)) {
    return { leadership: alwaysLeader(), bus: localBus(), rulesSettleMs: 0, close: async () => undefined };
  }
  const leadership = postgresLeadership(database, {
    ...(options.leaderRetryMs ? { retryMs: options.leaderRetryMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const bus = postgresBus(database, {
    rulesState: () => storage.rulesState(),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    leadership,
    bus,
    rulesSettleMs: 2 * (options.pollMs ?? 500),
    async close() {
      await bus.close();
      await leadership.close();
    },
  };
}
