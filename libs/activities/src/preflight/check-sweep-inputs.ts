import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MultiTaskPreflight } from '@retune/core';
import { imageInputProblem, modelJsonInputShapes } from './model-json-input';
import { multiTaskProblems } from './multitask-inputs';

// The trainer's dataset and model helpers used here read folders and JSON only; the module is
// loaded on first use (TensorFlow.js itself stays unloaded: the trainer loads it lazily).
type Trainer = typeof import('@retune/trainer');
const trainer = (): Promise<Trainer> => import('@retune/trainer');

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/**
 * What would fail every trial of the tfjs trainer, found once before the first one: an unknown
 * demo dataset, a missing dataset folder, a class folder without images, a base model.json
 * that is missing, unreadable or takes no images. `baseModel` is the registered path when the
 * sweep names a registered base. Refs the trainer resolves itself (other `demo:` bases, URLs,
 * ids with a scheme) are left to it.
 */
export async function sweepInputProblems(
  dataset: string,
  baseModel: string,
  multiTask?: MultiTaskPreflight,
): Promise<string[]> {
  const t = await trainer();
  const base = baseModelProblems(t, baseModel);
  // A labels.csv folder has no class folders: its checks are the multi-task ones.
  const data = t.isMultiTaskDataset(dataset, t.imageFolderPath(dataset))
    ? []
    : datasetProblems(t, dataset);
  if (data.length > 0) return [...data, ...base];
  const mt = multiTaskProblems(t, dataset, base.length === 0 ? baseModel : undefined, multiTask);
  return [...mt, ...base];
}

export type { Trainer };

function datasetProblems(t: Trainer, dataset: string): string[] {
  if (dataset.startsWith('demo:')) {
    return t.isDemoDataset(dataset)
      ? []
      : [`dataset: unknown demo dataset "${dataset}" (use one of ${t.DEMO_DATASETS.join(', ')})`];
  }
  const root = t.imageFolderPath(dataset);
  if (!isDir(root)) {
    return [
      `dataset: the folder ${root} does not exist on the GPU worker (give a folder of class folders, <class>/*.png|jpg|jpeg, or a demo: dataset)`,
    ];
  }
  const trainDir = isDir(join(root, 'train')) ? join(root, 'train') : root;
  const splits = [
    trainDir,
    ...(trainDir !== root && isDir(join(root, 'val')) ? [join(root, 'val')] : []),
  ];
  const classes = t.listClassFolders(trainDir, trainDir === root);
  if (classes.length === 0) {
    return [
      `dataset: ${trainDir} has no class folders (expected ${trainDir}/<class>/*.png|jpg|jpeg)`,
    ];
  }
  return splits.flatMap((dir) =>
    classes
      .filter((c) => !isDir(join(dir, c)) || t.listImages(join(dir, c)).length === 0)
      .map(
        (c) =>
          `dataset: class folder ${join(dir, c)} has no images (${t.IMAGE_EXTENSIONS.join(', ')}): add images or remove the class`,
      ),
  );
}

function baseModelProblems(t: Trainer, baseModel: string): string[] {
  const isPath = baseModel.startsWith('file://') || !/^[a-z][a-z0-9+.-]*:/i.test(baseModel);
  if (!isPath) return [];
  const path = t.resolveModelJsonPath(baseModel);
  if (!existsSync(path)) {
    return [
      `baseModel: ${path} does not exist on the GPU worker (give a model.json path, a folder holding one, or a registered base model)`,
    ];
  }
  try {
    const problem = imageInputProblem(modelJsonInputShapes(JSON.parse(readFileSync(path, 'utf8'))));
    return problem ? [`baseModel: ${path}: ${problem}`] : [];
  } catch (err) {
    return [`baseModel: ${path} is not a tfjs model.json: ${(err as Error).message}`];
  }
}
