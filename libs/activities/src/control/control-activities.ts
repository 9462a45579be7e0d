import type { PlannedTrial, TrialOutcome } from '@retune/core';
import type { Repositories } from '@retune/db';

export interface ControlActivityDeps {
  repos: Pick<Repositories, 'sweeps' | 'trials'>;
}

export interface SweepFinish {
  status: 'completed' | 'cancelled' | 'failed';
  bestTrialId: string | null;
  bestValue: number | null;
  error?: string;
}

/** DB writes made on behalf of the workflow. Each is idempotent, so Temporal may retry freely. */
export function createControlActivities(deps: ControlActivityDeps) {
  const { sweeps, trials } = deps.repos;
  return {
    async startSweep(sweepId: string): Promise<void> {
      await sweeps.markRunning(sweepId);
    },
    /** Creates the trial row (pending) just before it runs; a retry changes nothing. */
    async registerTrial(sweepId: string, trial: PlannedTrial): Promise<void> {
      await trials.ensure(sweepId, [trial]);
    },
    /** retryFailed: the failed trial runs again under its own number. */
    async reopenTrial(trialId: string): Promise<void> {
      await trials.reopen(trialId);
    },
    async updateSweep(
      sweepId: string,
      update: { status: 'running' | 'paused'; plannedTrials: number },
    ): Promise<void> {
      await sweeps.update(sweepId, update);
    },
    async recordTrialOutcome(trialId: string, outcome: TrialOutcome): Promise<void> {
      const { sweepId } = await trials.finish(trialId, outcome);
      if (outcome.status === 'completed' && outcome.objective !== null) {
        await sweeps.offerBest(sweepId, trialId, outcome.objective);
      }
    },
    async finishSweep(sweepId: string, finish: SweepFinish): Promise<void> {
      if (finish.status !== 'completed') await trials.cancelPending(sweepId);
      await sweeps.finish(sweepId, finish);
    },
  };
}

export type ControlActivities = ReturnType<typeof createControlActivities>;
