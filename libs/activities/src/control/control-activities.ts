import {
  objectiveValues,
  type Params,
  type PlannedTrial,
  type SweepSpec,
  type TrialOutcome,
} from '@retune/core';
import type { Repositories } from '@retune/db';

export interface ControlActivityDeps {
  repos: Pick<Repositories, 'sweeps' | 'trials' | 'warmStart'>;
}

/** Earlier trials for a warm start, values ordered like the sweep's objectives. */
export interface WarmStartTrials {
  trials: { params: Params; values: number[] }[];
  sourceSweeps: number;
}

export interface SweepFinish {
  status: 'completed' | 'cancelled' | 'failed';
  bestTrialId: string | null;
  bestValue: number | null;
  error?: string;
}

/** Trial rows a sweep workflow writes in one activity: registrations ahead, then outcomes. */
export interface TrialWriteBatch {
  register: PlannedTrial[];
  outcomes: { trialId: string; outcome: TrialOutcome }[];
}

/** DB writes made on behalf of the workflow. Each is idempotent, so Temporal may retry freely. */
export function createControlActivities(deps: ControlActivityDeps) {
  const { sweeps, trials } = deps.repos;
  const recordOutcome = async (trialId: string, outcome: TrialOutcome) => {
    const { sweepId } = await trials.finish(trialId, outcome);
    // An infeasible trial is never the best, not even for a moment on the dashboard.
    if (outcome.status === 'completed' && outcome.objective !== null && !outcome.infeasible) {
      await sweeps.offerBest(sweepId, trialId, outcome.objective);
    }
  };
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
      update: { status: 'running' | 'paused'; plannedTrials: number; gpuHoursBudget?: number },
    ): Promise<void> {
      await sweeps.update(sweepId, update);
    },
    async recordTrialOutcome(trialId: string, outcome: TrialOutcome): Promise<void> {
      await recordOutcome(trialId, outcome);
    },
    /**
     * One workflow task's trial writes in one activity (patch record-trials-batched): trials
     * registered ahead, then outcomes. Each part is idempotent, as above, so a retry is safe.
     */
    async recordTrials(sweepId: string, batch: TrialWriteBatch): Promise<void> {
      if (batch.register.length > 0) await trials.ensure(sweepId, batch.register);
      for (const { trialId, outcome } of batch.outcomes) await recordOutcome(trialId, outcome);
    },
    /**
     * Completed trials of earlier sweeps for `spec.warmStart` (the listed sweeps, else those on
     * the same dataset, base model and metric). Trials missing an objective are left out.
     */
    async loadWarmStart(
      sweepId: string,
      spec: Pick<SweepSpec, 'dataset' | 'baseModel' | 'metric' | 'objectives' | 'warmStart'>,
    ): Promise<WarmStartTrials> {
      if (!spec.warmStart) return { trials: [], sourceSweeps: 0 };
      const rows = await deps.repos.warmStart.priorTrials({
        sweepId,
        ...(spec.warmStart.sweeps ? { sweepIds: spec.warmStart.sweeps } : {}),
        dataset: spec.dataset,
        baseModel: spec.baseModel,
        metricName: spec.metric.name,
        limit: spec.warmStart.maxTrials,
      });
      const out: WarmStartTrials['trials'] = [];
      for (const r of rows) {
        const values = objectiveValues(r.objective, r.values, spec.objectives);
        if (values && Number.isFinite(r.objective)) out.push({ params: r.params, values });
      }
      return { trials: out, sourceSweeps: new Set(rows.map((r) => r.sweepId)).size };
    },
    async finishSweep(sweepId: string, finish: SweepFinish): Promise<void> {
      if (finish.status !== 'completed') await trials.cancelPending(sweepId);
      await sweeps.finish(sweepId, finish);
    },
  };
}

export type ControlActivities = ReturnType<typeof createControlActivities>;
