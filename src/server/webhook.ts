/**
 * The webhook sender: POSTs each queued delivery (`webhook_deliveries`, written when an
 * incident opens or a moderator decides one) to the maintainers' URL, signed with their
 * secret, so that someone is woken. Every server process may run one: a delivery is sent
 * by whichever claims it (see storage/moderation-webhooks.ts), once.
 *
 * Headers: `X-Lantern-Event`, `X-Lantern-Delivery` (its id, for the receiver to drop a
 * repeat), `X-Lantern-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. A 2xx answer
 * marks it delivered; anything else (or no answer within the timeout) is retried after
 * 30 s, doubling up to an hour, at most MAX_ATTEMPTS times. Without a URL nothing is sent
 * and deliveries wait in the table.
 */
import { createHmac } from 'node:crypto';
import type { WebhookOutbox } from './storage/moderation-webhooks.js';

export interface WebhookConfig {
  url: string;
  secret: string;
  /** How long one POST may take (default 10 s; below the 60 s claim). */
  timeoutMs?: number;
  /** How often to look for due deliveries (default 15 s). */
  pollMs?: number;
}

export interface WebhookLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Refuses a URL that is not http(s) and a secret too short to sign with. */
export function checkWebhookConfig(url: string, secret: string | undefined): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'webhook URL: not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'webhook URL: must be http:// or https://';
  if (!secret || secret.length < 16) return 'webhook secret: required with a webhook URL, at least 16 characters';
  return null;
}

export class WebhookSender {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly config: WebhookConfig,
    private readonly now: () => number = Date.now,
    private readonly log?: WebhookLog,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.config.pollMs ?? 15_000);
    this.timer.unref();
    this.wake();
  }

  /** Look now (after a write that queued a delivery); a look in progress looks once more after. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runUntilIdle().finally(() => {
      this.running = null;
    });
  }

  /** Stops looking and waits for a send in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async runUntilIdle(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.runOnce();
      } catch (err) {
        this.log?.warn({ err: { type: (err as Error).name } }, 'webhook sender failed');
      }
    } while (this.again && !this.stopped);
  }

  /** Sends every delivery due now that this process wins; returns how many it attempted. */
  async runOnce(): Promise<number> {
    let attempted = 0;
    for (let round = 0; round < 50 && !this.stopped; round++) {
      const ids = await this.outbox.due(this.now());
      if (ids.length === 0) break;
      let won = 0;
      for (const id of ids) {
        if (this.stopped) break;
        const delivery = await this.outbox.claim(id, this.now());
        if (!delivery) continue;
        won += 1;
        attempted += 1;
        const error = await this.send(delivery.id, delivery.event, delivery.body);
        if (error === null) {
          await this.outbox.delivered(delivery.id, this.now());
          this.log?.info({ delivery: delivery.id, event: delivery.event }, 'webhook delivered');
        } else {
          await this.outbox.failed(delivery.id, delivery.attempts, error, this.now());
          this.log?.warn({ delivery: delivery.id, event: delivery.event, attempt: delivery.attempts + 1, error }, 'webhook delivery failed');
        }
      }
      // Every due row was someone else's: they will finish them.
      if (won === 0) break;
    }
    return attempted;
  }

  /** null when the receiver answered 2xx; otherwise what went wrong, in a few words. */
  private async send(id: string, event: string, body: string): Promise<string | null> {
    try {
      const response = await fetch(this.config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Lantern-Webhook/1',
          'x-lantern-event': event,
          'x-lantern-delivery': id,
          'x-lantern-signature': signature(this.config.secret, body),
        },
        body,
        // A redirect could carry the signed body somewhere else: not followed, counted as a failure.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`;
    } catch (err) {
      const name = (err as Error).name;
      return name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : `no answer (${(err as Error).message})`.slice(0, 200);
    }
  }
}
