import { proxyActivities } from '@temporalio/workflow';
import { OptunaSampler, TASK_QUEUES, type SamplerActivities } from '@retune/core';
import type { SweepRun } from './sweep-run';

const sampler = proxyActivities<SamplerActivities>({
  taskQueue: TASK_QUEUES.sampler,
  // No sampler worker polling (no Python, venv not set up): fail the sweep with the reason
  // instead of waiting forever.
  scheduleToStartTimeout: '10 minutes',
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 3 },
});

/**
 * gp and cmaes sweeps: the next trial's params come from the Python sampler worker (Optuna's
 * GPSampler / CmaEsSampler) through an activity, fetched before the study asks for that trial.
 * Other sweeps have no OptunaProposals, so their history is unchanged.
 */
export class OptunaProposals {
  private constructor(
    private readonly run: SweepRun,
    private readonly optuna: OptunaSampler,
  ) {}

  static of(run: SweepRun): OptunaProposals | null {
    return run.study.sampler instanceof OptunaSampler
      ? new OptunaProposals(run, run.study.sampler)
      : null;
  }

  /** Whether the main loop is about to ask the study for a trial whose params have not come. */
  wanted(): boolean {
    const { run } = this;
    const number = run.study.size;
    if (number >= run.state.budget || this.optuna.has(number)) return false;
    // With trials registered ahead, new trials are asked only by ahead.fill().
    if (run.ahead) return !run.canLaunch() && run.ahead.wants();
    return run.canLaunch() && run.state.retryQueue.length === 0;
  }

  /** Fetches the next trial's params; the reason the sweep must fail when the worker cannot. */
  async fetch(): Promise<string | undefined> {
    const { study } = this.run;
    const number = study.size;
    const { space, directions, seed } = study;
    const request = this.optuna.request({ space, directions, seed, trials: study.trials, number });
    try {
      this.optuna.accept(number, await sampler.suggestParams(request));
      return undefined;
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      return `the sampler worker could not propose trial ${number} (${request.algorithm}): ${cause ?? String(err)}. Is it running? It starts with the worker when Python 3 is installed (samplers/optuna/run.sh; docs/samplers.md).`;
    }
  }
}
