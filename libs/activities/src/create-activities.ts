import { createControlActivities, type ControlActivityDeps } from './control/control-activities';
import { createTrialActivities, type TrialActivityDeps } from './trial/run-trial';
import { createRetrainActivities, type RetrainActivityDeps } from './retrain/retrain-activities';
import { createHoldoutActivities } from './retrain/holdout-eval';
import { createPreflightActivities } from './preflight/preflight-activities';

export type ActivityDeps = ControlActivityDeps & TrialActivityDeps & RetrainActivityDeps;

/** Both activity sets; the worker entrypoint registers `control` and `gpu` on their own queues. */
export function createActivities(deps: ActivityDeps) {
  return {
    // Retrain activities run on the control queue next to the sweep's DB activities.
    control: { ...createControlActivities(deps), ...createRetrainActivities(deps) },
    // Re-scoring saved tfjs models on a holdout loads TensorFlow.js: GPU workers have it.
    // The preflight reads the dataset and base model where the trials will: on the GPU workers.
    gpu: {
      ...createTrialActivities(deps),
      ...createHoldoutActivities(),
      ...createPreflightActivities(deps),
    },
  };
}
