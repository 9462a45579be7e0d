import type { MultiTaskSettings } from '@retune/core';
import type { TrainParams } from '../params';
import { conformDataset } from './conform';
import type { ImageDataset } from './dataset';
import type { ImageShape } from './decode';
import { loadMultiTaskDemo, MULTITASK_DEMO_DATASETS, multiTaskDemoTasks } from './demo-multitask';
import type { ImageFolderOptions } from './image-folder';
import { LABELS_CSV, labelsCsvOf, loadLabelsCsvFolder, readLabelsCsv } from './labels-csv';
import type { TrialDataset } from './load';
import { capPerFirstTaskClass, selectTasks, validateMultiTask } from './multitask';

type Params = Pick<TrainParams, 'trainPerClass' | 'valPerClass' | 'dataSeed' | 'valFraction'> & {
  multiTask?: MultiTaskSettings | undefined;
};

/** True for datasets with several labels per image: multi-task demos and labels.csv folders. */
export const isMultiTaskDataset = (dataset: string, root: string): boolean =>
  multiTaskDemoTasks(dataset) !== undefined ||
  (!dataset.startsWith('demo:') && labelsCsvOf(root) !== undefined);

/** The task names a dataset offers (multi-task demo tasks or labels.csv columns), or undefined. */
export function datasetTaskNames(dataset: string, root: string): string[] | undefined {
  const demo = multiTaskDemoTasks(dataset);
  if (demo || dataset.startsWith('demo:')) return demo;
  const csv = labelsCsvOf(root);
  return csv ? readLabelsCsv(csv).tasks : undefined;
}

/**
 * A multi-task trial's dataset: the tasks of `params.tasks` (first = primary), trainPerClass /
 * valPerClass counted per class of the first task, converted to the base's image shape.
 */
export async function loadMultiTaskTrialDataset(
  dataset: string,
  root: string,
  params: Params,
  opts: Pick<ImageFolderOptions, 'warn' | 'cacheDir'> & { imageShape: ImageShape },
): Promise<TrialDataset> {
  const tasks = params.multiTask?.tasks;
  if (!tasks) {
    const known = datasetTaskNames(dataset, root) ?? [];
    throw new Error(
      `params.tasks: ${dataset} has several labels per image (tasks ${known.join(', ')}): set tasks to the ones to learn, e.g. tasks: ${known.join(',')}`,
    );
  }
  if (!datasetTaskNames(dataset, root)) {
    throw new Error(
      `params.tasks: ${dataset} has one label per image; multi-task training needs a folder with ${LABELS_CSV} or a multi-task demo (${MULTITASK_DEMO_DATASETS.join(', ')}); see docs/multitask.md`,
    );
  }
  let data: TrialDataset;
  if (dataset.startsWith('demo:')) {
    const split = loadMultiTaskDemo(dataset, {
      ...(params.trainPerClass !== undefined && { trainPerClass: params.trainPerClass }),
      ...(params.valPerClass !== undefined && { valPerClass: params.valPerClass }),
      dataSeed: params.dataSeed,
    });
    data = {
      train: await conformDataset(split.train, opts.imageShape),
      val: await conformDataset(split.val, opts.imageShape),
    };
  } else {
    const folder = await loadLabelsCsvFolder(root, {
      imageShape: opts.imageShape,
      valFraction: params.valFraction,
      seed: params.dataSeed,
      ...(opts.cacheDir && { cacheDir: opts.cacheDir }),
      ...(opts.warn && { warn: opts.warn }),
    });
    const cap = (ds: ImageDataset, n: number | undefined, seed: number) =>
      n === undefined ? ds : capPerFirstTaskClass(ds, n, seed);
    data = {
      train: cap(folder.train, params.trainPerClass, params.dataSeed),
      val: cap(folder.val, params.valPerClass, params.dataSeed + 1),
      ...(folder.test && { test: folder.test }),
      skipped: folder.skipped,
    };
  }
  const pick = (ds: ImageDataset, what: string, needEveryTask: boolean) => {
    const out = selectTasks(ds, tasks, dataset);
    validateMultiTask(out, `${dataset} ${what}`, needEveryTask);
    return out;
  };
  return {
    ...data,
    train: pick(data.train, 'training split', true),
    val: pick(data.val, 'validation split', false),
    ...(data.test && { test: pick(data.test, 'test split', false) }),
  };
}
