import type { TrainParams } from '../params';
import { validateDataset, type ImageDataset } from './dataset';
import { DEMO_DATASETS, loadDemoDataset } from './mnist';

/** Resolves a trial's `dataset` to validated train/val splits. */
export function loadDataset(
  name: string,
  params: Pick<TrainParams, 'trainPerClass' | 'valPerClass' | 'dataSeed'>,
): { train: ImageDataset; val: ImageDataset } {
  if (!name.startsWith('demo:')) {
    throw new Error(
      `unknown dataset "${name}": this trainer supports ${DEMO_DATASETS.join(', ')} (image folders are not implemented yet)`,
    );
  }
  const opts = {
    ...(params.trainPerClass !== undefined && { trainPerClass: params.trainPerClass }),
    ...(params.valPerClass !== undefined && { valPerClass: params.valPerClass }),
    dataSeed: params.dataSeed,
  };
  const split = loadDemoDataset(name, opts);
  validateDataset(split.train, `${name} training split`);
  validateDataset(split.val, `${name} validation split`);
  return split;
}
