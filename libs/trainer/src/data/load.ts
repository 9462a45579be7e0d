import { join } from 'node:path';
import type { TrainParams } from '../params';
import { dataCacheDir } from './cache-dir';
import { conformDataset } from './conform';
import { capPerClass, validateDataset, type ImageDataset } from './dataset';
import { loadImageFolder } from './image-folder';
import { loadDemoDataset } from './demo';
import { ALL_DEMO_DATASETS, isMultiTaskDemo, loadMultiTaskDemo } from './demo-multitask';
import { isMultiTaskDataset, loadMultiTaskTrialDataset } from './multitask-load';
import { streamAboveBytes } from './stream-setting';
import type { MultiTaskSettings } from '@retune/core';

/** Resolves a `demo:` dataset to validated train/val splits. */
export function loadDataset(
  name: string,
  params: Pick<TrainParams, 'trainPerClass' | 'valPerClass' | 'dataSeed'>,
): { train: ImageDataset; val: ImageDataset } {
  if (!name.startsWith('demo:')) {
    throw new Error(
      `unknown dataset "${name}": loadDataset supports ${ALL_DEMO_DATASETS.join(', ')} (use loadTrialDataset for image folders)`,
    );
  }
  const opts = {
    ...(params.trainPerClass !== undefined && { trainPerClass: params.trainPerClass }),
    ...(params.valPerClass !== undefined && { valPerClass: params.valPerClass }),
    dataSeed: params.dataSeed,
  };
  const split = isMultiTaskDemo(name) ? loadMultiTaskDemo(name, opts) : loadDemoDataset(name, opts);
  validateDataset(split.train, `${name} training split`);
  validateDataset(split.val, `${name} validation split`);
  return split;
}

export interface TrialDataset {
  train: ImageDataset;
  val: ImageDataset;
  /** Holdout (`root/test/<class>` of an image folder), reported as `test_acc`. */
  test?: ImageDataset;
  /** Unreadable images skipped while loading an image folder (undefined for demo datasets). */
  skipped?: number;
}

/**
 * The params that decide what loadTrialDataset returns: a serving trainer's dataset cache keys
 * on them (serve/trial-cache.ts), so a param that changes the loaded data belongs here.
 */
export const DATASET_PARAMS = [
  'trainPerClass',
  'valPerClass',
  'dataSeed',
  'valFraction',
  // Which tasks' labels a multi-task dataset carries (and their order).
  'multiTask',
] as const;

/** `file://` URLs and plain paths name image folders. */
export const imageFolderPath = (dataset: string) =>
  dataset.startsWith('file://') ? new URL(dataset).pathname : dataset;

/**
 * Resolves a trial's `dataset`: a `demo:` name, or the path of an image folder; either way the
 * images are converted to `imageShape` (the base model's input shape: size, grey or RGB).
 */
export async function loadTrialDataset(
  dataset: string,
  params: Pick<TrainParams, Exclude<(typeof DATASET_PARAMS)[number], 'multiTask'>> & {
    multiTask?: MultiTaskSettings | undefined;
  },
  opts: {
    imageShape: readonly [number, number, number];
    warn?: (msg: string) => void;
    /** Decode cache of image folders (default `<data cache>/decoded`, see ./cache-dir). */
    cacheDir?: string;
    /** Splits of more pixel bytes are streamed (default RETUNE_STREAM_DATASET_MIB, ./stream-setting). */
    streamAbove?: number;
  },
): Promise<TrialDataset> {
  const channels = opts.imageShape[2];
  if (channels !== 1 && channels !== 3) {
    throw new Error(
      `the base model takes ${channels}-channel images; datasets are converted to 1 (grey) or 3 (RGB) channels only`,
    );
  }
  if (params.multiTask || isMultiTaskDataset(dataset, imageFolderPath(dataset))) {
    return loadMultiTaskTrialDataset(dataset, imageFolderPath(dataset), params, {
      imageShape: opts.imageShape,
      cacheDir: opts.cacheDir ?? join(dataCacheDir(), 'decoded'),
      ...(opts.warn && { warn: opts.warn }),
    });
  }
  if (dataset.startsWith('demo:')) {
    const { train, val } = loadDataset(dataset, params);
    return {
      train: await conformDataset(train, opts.imageShape),
      val: await conformDataset(val, opts.imageShape),
    };
  }
  const root = imageFolderPath(dataset);
  const data = await loadImageFolder(root, {
    imageShape: opts.imageShape,
    valFraction: params.valFraction,
    seed: params.dataSeed,
    cacheDir: opts.cacheDir ?? join(dataCacheDir(), 'decoded'),
    streamAbove: opts.streamAbove ?? streamAboveBytes(),
    ...(opts.warn && { warn: opts.warn }),
  });
  const seed = params.dataSeed;
  const train =
    params.trainPerClass !== undefined
      ? capPerClass(data.train, params.trainPerClass, seed)
      : data.train;
  const val =
    params.valPerClass !== undefined
      ? capPerClass(data.val, params.valPerClass, seed + 1)
      : data.val;
  validateDataset(train, `${root} training split`);
  validateDataset(val, `${root} validation split`);
  return { ...data, train, val };
}
