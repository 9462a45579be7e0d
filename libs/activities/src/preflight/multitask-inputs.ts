import { existsSync, readFileSync } from 'node:fs';
import type { MultiTaskPreflight } from '@retune/core';
import type { Trainer } from './check-sweep-inputs';

/**
 * The multi-task checks of the preflight (docs/multitask.md): a labels.csv that cannot be read,
 * a task the dataset lacks (naming the ones it has), a multi-task dataset without `tasks`, and a
 * shareDepth above a model.json base's layers with weights. `baseModel` is undefined when the
 * base already has a problem of its own.
 */
export function multiTaskProblems(
  t: Trainer,
  dataset: string,
  baseModel: string | undefined,
  multiTask: MultiTaskPreflight | undefined,
): string[] {
  let known: string[] | undefined;
  try {
    known = t.datasetTaskNames(dataset, t.imageFolderPath(dataset));
  } catch (err) {
    return [`dataset: ${(err as Error).message}`];
  }
  if (!multiTask) {
    return known
      ? [
          `tasks: ${dataset} has several labels per image (tasks ${known.join(', ')}): set the tasks param, e.g. tasks: ${known.join(',')}`,
        ]
      : [];
  }
  if (!known) {
    return [
      `tasks: ${dataset} has one label per image; multi-task training needs a folder with labels.csv or a multi-task demo (${t.MULTITASK_DEMO_DATASETS.join(', ')})`,
    ];
  }
  const problems = multiTask.tasks
    .filter((task) => !known.includes(task))
    .map((task) => `tasks: "${task}" is not a task of ${dataset} (its tasks: ${known.join(', ')})`);
  const depth = multiTask.maxShareDepth;
  const units = baseModel === undefined ? undefined : weightedLayers(t, baseModel);
  if (depth !== undefined && units !== undefined && depth > units) {
    problems.push(
      `shareDepth: ${depth} is above the ${units} layers with weights of ${baseModel}: use 0..${units}`,
    );
  }
  return problems;
}

/** Layers with weights of a model.json base (from its weight names), or undefined if unknown. */
function weightedLayers(t: Trainer, baseModel: string): number | undefined {
  const isPath = baseModel.startsWith('file://') || !/^[a-z][a-z0-9+.-]*:/i.test(baseModel);
  if (!isPath) return undefined;
  const path = t.resolveModelJsonPath(baseModel);
  if (!existsSync(path)) return undefined;
  const json = JSON.parse(readFileSync(path, 'utf8')) as {
    weightsManifest?: { weights?: { name?: string }[] }[];
  };
  const names = (json.weightsManifest ?? []).flatMap((g) => g.weights ?? []).map((w) => w.name);
  const layers = new Set(names.map((n) => (n ?? '').split('/').slice(0, -1).join('/')));
  return layers.size > 0 ? layers.size : undefined;
}
