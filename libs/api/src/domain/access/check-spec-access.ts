import type { RetrainScheduleSpec, SweepSpec } from '@retune/core';
import type { Repositories } from '@retune/db';
import type { Actor } from '../auth/api-tokens';
import { checkTrainerAllowed } from '../trainers/trainers';
import { assertMayPromote, type Promoter } from '../models/promotion-rights';
import type { AccessPolicy } from './access-policy';
import { checkDataPath } from './data-paths';
import { checkFetchUrl } from './fetch-urls';

/**
 * A dataset or base model is a built-in name (`demo:mnist-5-9`, `imagenet:efficientnet-lite0`:
 * a scheme without `//`, resolved by the trainer from its own list), a URL, or a path
 * (`file://` URLs are paths too).
 */
type SourceKind = { kind: 'named' } | { kind: 'url' } | { kind: 'path'; path: string };

function kindOf(value: string): SourceKind {
  if (/^file:\/\//i.test(value)) return { kind: 'path', path: value.replace(/^file:\/\//i, '') };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { kind: 'url' };
  if (/^[a-z][a-z0-9-]+:(?!\/)/i.test(value)) return { kind: 'named' };
  return { kind: 'path', path: value };
}

async function checkSource(
  field: 'dataset' | 'baseModel',
  value: string,
  policy: AccessPolicy,
): Promise<void> {
  const k = kindOf(value);
  if (k.kind === 'named') return;
  if (k.kind === 'url') return checkFetchUrl(field, value, policy);
  await checkDataPath(field, k.path, policy);
}

/**
 * What a spec may make the workers run and read, checked before anything is stored: its trainer
 * (checkTrainerAllowed), and for API users its dataset and base model (built-in names, paths
 * under the data roots, or URLs that pass the fetch rules). The local operator (the CLI holding
 * the database's credentials) can read those files already and is not held to the roots.
 */
export async function checkSpecAccess(
  repos: Pick<Repositories, 'trainers' | 'baseModels'>,
  spec: Pick<SweepSpec, 'trainer' | 'dataset' | 'baseModel'>,
  actor: Actor,
  policy: AccessPolicy,
): Promise<void> {
  await checkTrainerAllowed(repos, spec.trainer, actor);
  if (actor === 'local-operator') return;
  await checkSource('dataset', spec.dataset, policy);
  // A registered base model was vetted when an admin (or the local operator) registered it.
  if (await repos.baseModels.findByName(spec.baseModel)) return;
  await checkSource('baseModel', spec.baseModel, policy);
}

/**
 * A retrain schedule launches its spec's sweeps later, its webhook is a server fetch, and its
 * runs promote a better model on their own: so writing one needs the right to promote on its
 * task, and the runs it starts inherit that right (they are not checked again).
 */
export async function checkScheduleAccess(
  repos: Pick<Repositories, 'trainers' | 'baseModels' | 'promotionGrants'>,
  schedule: RetrainScheduleSpec,
  actor: Promoter,
  policy: AccessPolicy,
): Promise<void> {
  await checkSpecAccess(repos, schedule.spec, actor, policy);
  if (schedule.webhookUrl && actor !== 'local-operator') {
    await checkFetchUrl('webhookUrl', schedule.webhookUrl, policy);
  }
  await assertMayPromote({ repos }, actor, schedule.task);
}
