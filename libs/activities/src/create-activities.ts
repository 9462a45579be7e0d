import { createControlActivities, type ControlActivityDeps } from './control/control-activities';
import { createTrialActivities, type TrialActivityDeps } from './trial/run-trial';

export type ActivityDeps = ControlActivityDeps & TrialActivityDeps;

/** Both activity sets; the worker entrypoint registers `control` and `gpu` on their own queues. */
export function createActivities(deps: ActivityDeps) {
  return { control: createControlActivities(deps), gpu: createTrialActivities(deps) };
}
