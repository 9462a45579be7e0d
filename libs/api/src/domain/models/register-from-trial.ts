import { randomBytes } from 'node:crypto';
import type { ModelVersionView } from '@retune/core';
import type { Repositories } from '@retune/db';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { assertMayPromote, promoterName, type Promoter } from './promotion-rights';

export interface RegisterFromTrialDeps {
  repos: Pick<Repositories, 'trials' | 'sweeps' | 'modelVersions' | 'promotionGrants'>;
}

/**
 * "Promote to model version" on a trial page: registers a completed trial's model under `task`
 * (default: the sweep's dataset) with its lineage, and makes it the champion when asked. Doing it
 * twice for the same trial and task returns the same version.
 */
export async function registerModelFromTrial(
  deps: RegisterFromTrialDeps,
  input: { trialId: string; task?: string; champion: boolean },
  who: Promoter,
): Promise<ModelVersionView> {
  const trial = await deps.repos.trials.detail(input.trialId);
  if (!trial) throw new NotFoundError(`trial ${input.trialId}`);
  if (trial.status !== 'completed') {
    throw new ConflictError(
      `trial ${trial.number} is ${trial.status}: only a completed trial has a model to register`,
    );
  }
  const sweep = await deps.repos.sweeps.get(trial.sweepId);
  if (!sweep) throw new NotFoundError(`sweep ${trial.sweepId}`);
  const task = (input.task ?? sweep.dataset).trim();
  if (!task || task.length > 120) {
    throw new InvalidInputError('task: 1 to 120 characters (e.g. the dataset it serves)', [
      { path: 'task', message: '1 to 120 characters' },
    ]);
  }
  // Registering is a member's right; making it the champion needs the right on its task.
  if (input.champion) await assertMayPromote(deps, who, task);
  const version = await deps.repos.modelVersions.register({
    id: `mv_${trial.id}_${Buffer.from(task).toString('hex').slice(0, 16)}`,
    task,
    artifact: trial.artifact ?? '',
    metricName: trial.metricName,
    metricValue: trial.objective,
    metrics: trial.values,
    params: trial.params,
    baseModel: sweep.baseModel,
    dataset: sweep.dataset,
    sweepId: trial.sweepId,
    trialId: trial.id,
  });
  if (!input.champion || version.isChampion) return version;
  const done = await deps.repos.modelVersions.promote(version.id, {
    changeId: `cc_${randomBytes(6).toString('hex')}`,
    reason: `promoted from trial ${trial.number} of ${trial.sweepName} by ${promoterName(who)}`,
  });
  if (!done) throw new NotFoundError(`model version ${version.id}`);
  return done.version;
}
