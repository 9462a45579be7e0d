import { CancellationScope } from '@temporalio/workflow';
import type { PlannedTrial } from '@retune/core';
import type { SweepRun } from './sweep-run';

/** The patch id: sweeps started before it keep registering each trial just before it runs. */
export const REGISTER_AHEAD_PATCH = 'register-trials-ahead';

/**
 * Registers the next trials while the current ones run, so a freed slot starts its next trial
 * in the same workflow task that saw the previous one finish: no registration round trip (an
 * activity and a second workflow task) on the slot's critical path. At most maxParallel trials
 * wait registered; a model-based sampler therefore asks up to maxParallel trials before it has
 * their predecessors' results (as with any ask ahead of parallel workers). Registered trials that
 * never run are cancelled with their sweep (finishSweep cancels pending rows). None is registered
 * ahead while paused, cancelling or when history is long; those waiting still run before the
 * workflow continues as new, so nothing asked of the study is lost across runs.
 */
export class TrialsAhead {
  private readonly ready: PlannedTrial[] = [];
  private registering = 0;

  constructor(
    private readonly run: SweepRun,
    private readonly register: (trial: PlannedTrial) => Promise<void>,
  ) {}

  /** Registered trials waiting for a slot, or registrations in flight. */
  get pending(): boolean {
    return this.ready.length > 0 || this.registering > 0;
  }

  /** Trials registered and waiting, or being registered: GPU time they will spend. */
  get queued(): number {
    return this.ready.length + this.registering;
  }

  /** Whether one more new trial should be asked and registered now. */
  wants(): boolean {
    const { run } = this;
    return (
      !run.cancelRequested &&
      !run.state.paused &&
      !run.historyIsLong() &&
      run.state.retryQueue.length === 0 &&
      run.wantsNewTrial() &&
      this.ready.length + this.registering < run.spec.maxParallel
    );
  }

  /** A slot is free and a trial can take it: a registered one, else a queued retry. */
  canLaunch(): boolean {
    const { run } = this;
    if (run.state.paused || run.running.size >= run.launchCap()) return false;
    return this.ready.length > 0 || (run.state.retryQueue.length > 0 && !run.historyIsLong());
  }

  /** Asks the study for the next new trial and registers it in the background. */
  fill(): void {
    const next = this.run.nextTrial();
    if (!next) return;
    this.registering++;
    const done: Promise<void> = CancellationScope.nonCancellable(() => this.register(next.trial))
      .then(() => void this.ready.push(next.trial))
      .finally(() => {
        this.registering--;
        this.run.recording.delete(done);
      });
    this.run.recording.add(done);
  }

  /** The next registered trial, oldest registration first. */
  take(): PlannedTrial | undefined {
    return this.ready.shift();
  }
}
