/**
 * The periodic jobs (ageing time windows, pruning idempotency keys, the recompute after a
 * rules change), run by the leader only (cluster/leader.ts) and claimed per period in
 * `job_runs` before they run: a period's run happens once across every process on the
 * database, even across a leader change. Runs are serialized in this process (one at a
 * time) and `stop()` waits for the one in progress.
 *
 * A period is a slot: `floor(now / periodMs)` for a timed job (so an hourly job's slot is
 * the hour number), or a number the caller names for an event (the rules version). Each
 * run is logged as `job ran` with its job, slot and the process's random runner id.
 */
import type { Leadership } from './leader.js';

interface JobClaims {
  claimJobRun(job: string, slot: number, runner: string, now: number): Promise<boolean>;
  finishJobRun(job: string, slot: number, now: number): Promise<void>;
  releaseJobRun(job: string, slot: number, runner: string): Promise<void>;
}

interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SchedulerOptions {
  leadership: Leadership;
  claims: JobClaims;
  /** This process's random id (job_runs.runner). */
  runner: string;
  now: () => number;
  log: JobLog;
}

type Work = () => Promise<object | void>;

export class JobScheduler {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private readonly queuedSlot = new Map<string, number>();
  private stopping = false;

  constructor(private readonly options: SchedulerOptions) {}

  /**
   * Runs `work` once per `periodMs` on the leader: looked at four times a period (at most
   * every minute), and at once on becoming leader — so a new leader catches up the period
   * its predecessor missed, and a restart catches up on windows crossed while it was down.
   */
  every(job: string, periodMs: number, work: Work): void {
    const look = () => {
      if (this.stopping || !this.options.leadership.isLeader()) return;
      const slot = Math.floor(this.options.now() / periodMs);
      if (this.queuedSlot.get(job) === slot) return;
      this.queuedSlot.set(job, slot);
      this.enqueue(job, slot, work);
    };
    const timer = setInterval(look, Math.max(50, Math.min(periodMs / 4, 60_000)));
    timer.unref();
    this.timers.push(timer);
    this.options.leadership.onChange((leader) => leader && look());
    look();
  }

  /**
   * Runs `work` for one event slot on the leader (e.g. the recompute for rules version N).
   * If the slot was claimed already (a leader that died mid-run), it runs only when
   * `unfinished()` says work remains — `work` must then carry on where the other stopped.
   */
  once(job: string, slot: number, work: Work, unfinished: () => Promise<boolean>): void {
    if (this.stopping || !this.options.leadership.isLeader()) return;
    this.enqueue(job, slot, work, unfinished);
  }

  /** Stops looking and waits for the run in progress (shutdown). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.timers.forEach(clearInterval);
    await this.chain;
  }

  /** Whether a long run should carry on: not stopping, and still the leader (a deposed one stops between batches). */
  get shouldContinue(): boolean {
    return !this.stopping && this.options.leadership.isLeader();
  }

  private enqueue(job: string, slot: number, work: Work, unfinished?: () => Promise<boolean>): void {
    this.chain = this.chain
      .then(() => this.run(job, slot, work, unfinished))
      .catch((err: unknown) => {
        // Not recorded as run: the next look tries the period again.
        if (this.queuedSlot.get(job) === slot) this.queuedSlot.delete(job);
        this.options.log.error({ job, slot, err: { type: (err as Error).name, message: (err as Error).message } }, 'job failed');
      });
  }

  private async run(job: string, slot: number, work: Work, unfinished?: () => Promise<boolean>): Promise<void> {
    const { claims, runner, now, log, leadership } = this.options;
    if (this.stopping || !leadership.isLeader()) return;
    const claimed = await claims.claimJobRun(job, slot, runner, now());
    if (!claimed && !(unfinished && (await unfinished()))) return;
    const started = now();
    let result: object | void;
    try {
      result = await work();
    } catch (err) {
      // A failed run gives its claim back: the next look (this leader's or a successor's) runs the period again.
      if (claimed) await claims.releaseJobRun(job, slot, runner).catch(() => undefined);
      throw err;
    }
    log.info({ job, slot, runner, resumed: !claimed, ms: now() - started, ...(result ?? {}) }, 'job ran');
    if (claimed) await claims.finishJobRun(job, slot, now());
  }
}
