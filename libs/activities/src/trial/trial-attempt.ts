import type { Context } from '@temporalio/activity';
import type { GpuSampler } from '../gpu/gpu-sampler';
import type { DbRetryOptions } from './db-retry';
import type { TrialEndings } from './predecessor';
import type { Slot } from './slot-pool';
import { trialTimeLimit, type TrialTimeLimit } from './trial-time-limit';
import { trialTiming, type TrialTiming } from './trial-timing';
import type { RunTrialInput, TrialHeartbeat } from './types';

/** The attempt's slot, with what counts from the moment it took it. */
export interface OnSlot {
  slot: Slot;
  limit: TrialTimeLimit;
  /** Date.now() when it took the slot. */
  since: number;
}

/**
 * One runTrial attempt's hold on this worker, let go by `close` however the attempt ends: its
 * heartbeats, its slot (and the successor waiting for it), its time limit, its GPU sampler and
 * its timing marks.
 */
export class TrialAttempt {
  readonly previous: TrialHeartbeat | undefined;
  readonly timing: TrialTiming;
  readonly dbRetry: DbRetryOptions;
  gpu: GpuSampler | null = null;
  private slot: Slot | undefined;
  private limit: TrialTimeLimit | undefined;
  private ended = false;
  private details: TrialHeartbeat | undefined;
  private readonly keepAlive: ReturnType<typeof setInterval>;

  constructor(
    readonly ctx: Context,
    readonly input: RunTrialInput,
    private readonly worker: {
      endings: TrialEndings;
      trialTimingFile: string | undefined;
      heartbeatIntervalMs: number | undefined;
    },
  ) {
    this.previous = ctx.info.heartbeatDetails as TrialHeartbeat | undefined;
    this.timing = trialTiming(input.trialId, worker.trialTimingFile);
    // Heartbeats run for the whole attempt, not only while the trainer runs: waiting for the
    // predecessor or out a database outage (untilDbAnswers) must not look like a dead worker.
    // They carry the last checkpoint (the previous attempt's until this one reports its own)
    // so a retry resumes.
    this.details = this.previous;
    this.keepAlive = setInterval(
      () => (this.details ? ctx.heartbeat(this.details) : ctx.heartbeat()),
      worker.heartbeatIntervalMs ?? 1000,
    );
    this.dbRetry = {
      signal: ctx.cancellationSignal,
      onWait: (err: unknown, attempt: number) => {
        if (attempt === 1) ctx.log.warn('database unavailable; retrying', { error: String(err) });
      },
    };
  }

  /** From now on the heartbeats carry this attempt's own state. */
  heartbeatWith(state: TrialHeartbeat): void {
    this.details = state;
  }

  /** The attempt has its slot: its time limit starts now. */
  enterSlot(slot: Slot): OnSlot {
    this.slot = slot;
    this.worker.endings.begin(this.input.trialId);
    this.timing.mark('slot');
    const since = Date.now();
    this.limit = trialTimeLimit(this.input, this.ctx.cancellationSignal);
    return { slot, limit: this.limit, since };
  }

  /**
   * Frees the slot and, once the attempt has ended for good, lets a waiting successor in.
   * `ended`: whether it has, once known (by default, as known so far).
   */
  leaveSlot(ended = this.ended): void {
    this.ended = ended;
    this.slot?.release();
    this.worker.endings.left(this.input.trialId);
    // Temporal retries neither a result nor a cancellation: its lane's successor may start.
    if (this.ended) this.worker.endings.end(this.input.trialId);
  }

  /** The attempt threw: it has ended for good if it was cancelled. */
  endIfCancelled(): void {
    // Cancelled while waiting: nothing of it ever trained.
    if (this.ctx.cancellationSignal.aborted) this.ended = true;
  }

  /** Lets go of everything the attempt still holds. */
  async close(): Promise<void> {
    this.limit?.clear();
    await this.gpu?.stop();
    clearInterval(this.keepAlive);
    this.leaveSlot();
    this.timing.end();
  }
}
