/**
 * The webhook outbox (`webhook_deliveries`), as the sender (src/server/webhook.ts) sees it.
 * Rows are written in the transaction that opened or changed an incident; this side only
 * claims, marks delivered, and schedules retries.
 *
 * Exactly once across processes: a delivery is sent only by whoever's claim UPDATE changed
 * the row. On SQLite writes are serialized; on PostgreSQL (READ COMMITTED) a second UPDATE
 * of the same row waits for the first and re-checks its WHERE against the committed row,
 * where `claimed_until` is then in the future — so it changes nothing. A claim lasts 60 s
 * (longer than the send's timeout); a process that dies mid-send frees it by expiry.
 */
import type { SqlDriver } from './driver.js';

export const CLAIM_MS = 60_000;
/** After this many failed attempts a delivery is left alone (kept, with its last error). */
export const MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;

/** 30 s after the first failure, doubling, at most an hour. */
export function retryDelay(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

export interface Delivery {
  id: string;
  event: string;
  body: string;
  attempts: number;
}

export interface DeliveryState {
  id: string;
  event: string;
  attempts: number;
  nextAttemptAt: number;
  deliveredAt: number | null;
  lastError: string | null;
}

export class WebhookOutbox {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly driver: SqlDriver) {}

  /** The sender listens, to send right after a moderator's action queued a delivery. */
  onQueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  queued(): void {
    for (const listener of this.listeners) listener();
  }

  /** Ids of deliveries due now (not delivered, not given up, not claimed by a live sender). */
  async due(now: number, limit = 20): Promise<string[]> {
    const rows = await this.driver.query<{ id: string }>(
      `SELECT id FROM webhook_deliveries
       WHERE delivered_at IS NULL AND attempts < ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
       ORDER BY next_attempt_at, id LIMIT ?`,
      [MAX_ATTEMPTS, now, now, limit],
    );
    return rows.map((r) => r.id);
  }

  /** The delivery, if this caller won it; null when another sender has it (or it is done). */
  claim(id: string, now: number): Promise<Delivery | null> {
    return this.driver.write(async (tx) => {
      const changed = await tx.run(
        `UPDATE webhook_deliveries SET claimed_until = ?
         WHERE id = ? AND delivered_at IS NULL AND attempts < ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)`,
        [now + CLAIM_MS, id, MAX_ATTEMPTS, now, now],
      );
      if (changed !== 1) return null;
      const [row] = await tx.all<{ id: string; event: string; body_json: string; attempts: number }>(
        'SELECT id, event, body_json, attempts FROM webhook_deliveries WHERE id = ?',
        [id],
      );
      return row ? { id: row.id, event: row.event, body: row.body_json, attempts: Number(row.attempts) } : null;
    });
  }

  async delivered(id: string, now: number): Promise<void> {
    await this.driver.write((tx) =>
      tx.run('UPDATE webhook_deliveries SET delivered_at = ?, attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE id = ?', [now, id]),
    );
  }

  /** One more failed attempt: retried after the backoff, until MAX_ATTEMPTS. */
  async failed(id: string, attempts: number, error: string, now: number): Promise<void> {
    const next = attempts + 1;
    await this.driver.write((tx) =>
      tx.run('UPDATE webhook_deliveries SET attempts = ?, last_error = ?, next_attempt_at = ?, claimed_until = NULL WHERE id = ?', [
        next,
        error.slice(0, 300),
        now + retryDelay(next),
        id,
      ]),
    );
  }

  async state(id: string): Promise<DeliveryState | null> {
    const [row] = await this.driver.query<{ id: string; event: string; attempts: number; next_attempt_at: number; delivered_at: number | null; last_error: string | null }>(
      'SELECT id, event, attempts, next_attempt_at, delivered_at, last_error FROM webhook_deliveries WHERE id = ?',
      [id],
    );
    return row
      ? {
          id: row.id,
          event: row.event,
          attempts: Number(row.attempts),
          nextAttemptAt: Number(row.next_attempt_at),
          deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
          lastError: row.last_error,
        }
      : null;
  }
}
