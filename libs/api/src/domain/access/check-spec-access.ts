import type { RetrainScheduleSpec, SweepSpec } from '@retune/core';
import type { Repositories } from '@retune/db';
import type { Actor } from '../auth/api-tokens';
import { checkTrainerAllowed } from '../trainers/trainers';
import type { AccessPolicy } from './access-policy';
import { checkDataPath } from './data-paths';
import { checkFetchUrl, isHttpUrl } from './fetch-urls';

const isDemo = (s: string) => s.startsWith('demo:');

/**
 * What a spec may make the workers run and read, checked before anything is stored: its trainer
 * (checkTrainerAllowed), and for API users its dataset and base model (under the data roots,
 * or a URL that passes the fetch rules). The local operator (the CLI holding the database's
 * credentials) can read those files already and is not held to the roots.
 */
export async function checkSpecAccess(
  repos: Pick<Repositories, 'trainers' | 'baseModels'>,
  spec: Pick<SweepSpec, 'trainer' | 'dataset' | 'baseModel'>,
  actor: Actor,
  policy: AccessPolicy,
): Promise<void> {
  await checkTrainerAllowed(repos, spec.trainer, actor);
  if (actor === 'local-operator') return;
  if (!isDemo(spec.dataset)) await checkDataPath('dataset', spec.dataset, policy);
  if (isDemo(spec.baseModel)) return;
  if (isHttpUrl(spec.baseModel)) return checkFetchUrl('baseModel', spec.baseModel, policy);
  // A registered base model was vetted when an admin (or the local operator) registered it.
  if (await repos.baseModels.findByName(spec.baseModel)) return;
  await checkDataPath('baseModel', spec.baseModel, policy);
}

/** A retrain schedule launches its spec's sweeps later, and its webhook is a server fetch. */
export async function checkScheduleAccess(
  repos: Pick<Repositories, 'trainers' | 'baseModels'>,
  schedule: RetrainScheduleSpec,
  actor: Actor,
  policy: AccessPolicy,
): Promise<void> {
  await checkSpecAccess(repos, schedule.spec, actor, policy);
  if (schedule.webhookUrl && actor !== 'local-operator') {
    await checkFetchUrl('webhookUrl', schedule.webhookUrl, policy);
  }
}
