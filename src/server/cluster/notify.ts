/**
 * Telling every API process on one PostgreSQL that something they cache changed (issue 14):
 * new rules were published (reload them, drop the snapshot and export caches), or the
 * leader finished recomputing summaries under them (drop the caches). PostgreSQL's
 * LISTEN/NOTIFY on a dedicated connection carries it in milliseconds, to the sender too.
 *
 * If the listen connection drops, notifications sent meanwhile are lost: the bus then polls
 * the database's rules state every `pollMs` (default 0.5 s) until it listens again, and on
 * reconnecting emits a `resync` so nothing missed in the gap stays stale.
 * On SQLite (one process) events go straight to the listeners.
 */
import pg from 'pg';
import { fnv1a32 } from '../../core/hash.js';
import { splitSchema } from '../storage/postgres-driver.js';

export type ClusterEvent =
  | { kind: 'rules'; version: number }
  | { kind: 'recomputed'; version: number }
  /** Notifications may have been missed (listen connection was down): reload everything. */
  | { kind: 'resync' };

export interface ChangeBus {
  /** Reaches every process on the database, this one included. */
  publish(event: ClusterEvent): Promise<void>;
  onEvent(listener: (event: ClusterEvent) => void): void;
  /** True while events arrive by LISTEN (false: polling). */
  listening(): boolean;
  close(): Promise<void>;
}

export function localBus(): ChangeBus {
  const listeners: ((event: ClusterEvent) => void)[] = [];
  return {
    async publish(event) {
      for (const listener of listeners) listener(event);
    },
    onEvent: (listener) => void listeners.push(listener),
    listening: () => true,
    close: async () => undefined,
  };
}

/** One channel per schema (a channel is database-wide; test schemas share a database). */
export function channelFor(schema: string | null): string {
  return `lantern_${fnv1a32(schema ?? '').toString(16).padStart(8, '0')}`;
}

export interface BusLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PostgresBusOptions {
  /** What the fallback poll reads: the database's rules version and whether a recompute is unfinished. */
  rulesState: () => Promise<{ version: number; recomputing: boolean }>;
  pollMs?: number;
  reconnectMs?: number;
  /**
   * How often the listen connection is asked `SELECT 1` (default 30 s). A network cut that
   * sends no reset leaves the socket open while notifications are lost; an unanswered
   * heartbeat drops it, so the bus polls and reconnects (and resyncs) instead.
   */
  heartbeatMs?: number;
  log?: BusLog;
}

const parseEvent = (payload: string | undefined): ClusterEvent | null => {
  try {
    const event = JSON.parse(payload ?? '') as ClusterEvent;
    if (event.kind === 'resync') return { kind: 'resync' };
    if ((event.kind === 'rules' || event.kind === 'recomputed') && Number.isInteger(event.version)) return { kind: event.kind, version: event.version };
  } catch {
    // Not ours: ignored.
  }
  return null;
};

export function postgresBus(databaseUrl: string, options: PostgresBusOptions): ChangeBus {
  const { url, schema } = splitSchema(databaseUrl);
  const channel = channelFor(schema);
  const pollMs = options.pollMs ?? 500;
  const reconnectMs = options.reconnectMs ?? 2_000;
  const listeners: ((event: ClusterEvent) => void)[] = [];
  const emit = (event: ClusterEvent) => listeners.forEach((listener) => listener(event));
  let client: pg.Client | null = null;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  let lastState: string | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  const stopHeartbeat = () => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
  };

  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const newClient = (purpose: string) =>
    new pg.Client({
      connectionString: url,
      application_name: `lantern-${purpose}:${schema ?? ''}`.slice(0, 63),
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      // The heartbeat's answer is awaited this long: a silently cut connection fails it.
      query_timeout: Math.min(heartbeatMs, 10_000),
    });

  /** While not listening: compare the rules state each `pollMs`; a change is told as a resync. */
  function startPolling(): void {
    if (pollTimer || closed) return;
    lastState = null;
    pollTimer = setInterval(() => {
      options.rulesState().then(
        (state) => {
          const text = `${state.version}:${state.recomputing}`;
          // The first poll after losing the connection always resyncs: something may have been missed already.
          if (text !== lastState) emit({ kind: 'resync' });
          lastState = text;
        },
        () => undefined,
      );
    }, pollMs);
    pollTimer.unref();
  }

  function stopPolling(): void {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void listen(true);
    }, reconnectMs);
    reconnectTimer.unref();
  }

  async function listen(again: boolean): Promise<void> {
    const fresh = newClient('listen');
    const lost = () => {
      if (client !== fresh) return;
      client = null;
      stopHeartbeat();
      options.log?.warn({}, 'cluster notifications: listen connection lost, polling until it is back');
      startPolling();
      scheduleReconnect();
    };
    fresh.on('error', lost);
    fresh.on('end', lost);
    fresh.on('notification', (message) => {
      if (message.channel !== channel) return;
      const event = parseEvent(message.payload);
      if (event) emit(event);
    });
    try {
      await fresh.connect();
      await fresh.query(`LISTEN ${channel}`);
      if (closed) return void (await fresh.end().catch(() => undefined));
      client = fresh;
      stopPolling();
      heartbeat = setInterval(() => {
        fresh.query('SELECT 1').catch(() => {
          lost();
          void fresh.end().catch(() => undefined);
        });
      }, heartbeatMs);
      heartbeat.unref();
      if (again) {
        options.log?.info({}, 'cluster notifications: listening again');
        emit({ kind: 'resync' });
      }
    } catch {
      await fresh.end().catch(() => undefined);
      startPolling();
      scheduleReconnect();
    }
  }

  const ready = listen(false);
  return {
    async publish(event) {
      const payload = JSON.stringify(event);
      // The listen connection when up; otherwise a short-lived one (the others still listen).
      if (client) {
        await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
        return;
      }
      const once = newClient('notify');
      try {
        await once.connect();
        await once.query('SELECT pg_notify($1, $2)', [channel, payload]);
      } finally {
        await once.end().catch(() => undefined);
      }
      // This process is not listening: it tells itself.
      emit(event);
    },
    onEvent: (listener) => void listeners.push(listener),
    listening: () => client !== null,
    async close() {
      closed = true;
      await ready;
      stopPolling();
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const last = client;
      client = null;
      stopHeartbeat();
      await last?.end().catch(() => undefined);
    },
  };
}
