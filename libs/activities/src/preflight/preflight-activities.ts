import type { SweepPreflightInput, SweepPreflightResult } from '@retune/core';
import type { Repositories } from '@retune/db';
import { sweepInputProblems } from './check-sweep-inputs';

export interface PreflightActivityDeps {
  repos: Pick<Repositories, 'baseModels'>;
}

/**
 * Checks a sweep's dataset and base model once, before its first trial, on the GPU queue: the
 * paths are the GPU workers' paths, where the trials will read them.
 */
export function createPreflightActivities(deps: PreflightActivityDeps) {
  return {
    async preflightSweep(input: SweepPreflightInput): Promise<SweepPreflightResult> {
      // Only the tfjs trainer's inputs are known here: synthetic reads neither, and a command
      // trainer defines its own formats.
      if (!('name' in input.trainer) || input.trainer.name !== 'tfjs') return { problems: [] };
      const registered = await deps.repos.baseModels.findByName(input.baseModel);
      return {
        problems: await sweepInputProblems(
          input.dataset,
          registered?.path ?? input.baseModel,
          input.multiTask,
        ),
      };
    },
  };
}

export type PreflightActivities = ReturnType<typeof createPreflightActivities>;
