import { resolve } from 'node:path';
import { CliError } from '../errors';
import { renderTable } from '../render/table';

export interface DatasetExportOptions {
  trainPerClass?: string;
  valPerClass?: string;
  seed?: string;
}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || (n === 0 && flag !== '--seed')) {
    throw new CliError(
      `${flag} must be a ${flag === '--seed' ? 'non-negative' : 'positive'} integer, got "${value}"`,
      2,
    );
  }
  return n;
}

/**
 * `retune dataset export <demo> <dir>`: writes a demo task as an image folder
 * (train/ val/ <class>/*.png), the layout a sweep's `dataset:` folder needs.
 */
export async function datasetExportCommand(
  demo: string,
  dir: string,
  opts: DatasetExportOptions = {},
): Promise<number> {
  // TensorFlow-free, but the trainer package is large: load it only for this command.
  const t = await import('@retune/trainer');
  if (!t.isKnownDemoDataset(demo)) {
    throw new CliError(
      `unknown demo dataset "${demo}" (known: ${t.ALL_DEMO_DATASETS.join(', ')})`,
      2,
    );
  }
  const trainPerClass = positiveInt('--train-per-class', opts.trainPerClass);
  const valPerClass = positiveInt('--val-per-class', opts.valPerClass);
  const dataSeed = positiveInt('--seed', opts.seed);
  const out = resolve(dir);
  let splits: Awaited<ReturnType<typeof t.exportDemoDataset>>;
  try {
    splits = await t.exportDemoDataset(demo, out, {
      ...(trainPerClass !== undefined && { trainPerClass }),
      ...(valPerClass !== undefined && { valPerClass }),
      ...(dataSeed !== undefined && { dataSeed }),
    });
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
  console.log(
    renderTable(
      ['split', 'images', 'classes'],
      splits.map((s) => [`${s.split}/`, String(s.images), String(s.classes)]),
    ),
  );
  const layout = t.isMultiTaskDemo(demo) ? 'labels.csv + images/*.png' : '<class>/*.png';
  console.log(`wrote ${demo} to ${out}/<split>/${layout}`);
  console.log(`train on it (or on your own folder of the same layout) with: dataset: ${out}`);
  return 0;
}
