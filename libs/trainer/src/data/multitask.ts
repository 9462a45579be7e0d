import { rngFor, shuffleInPlace, Stream } from '../rng';
import { imageSize, subset, type ImageDataset, type TaskLabels } from './dataset';

/** A task's label for an image that has none (skipped in that task's loss and accuracy). */
export const MISSING_LABEL = -1;

/** The dataset's task names, or [] for a single-task dataset. */
export const datasetTasks = (ds: Pick<ImageDataset, 'tasks'>): string[] =>
  ds.tasks?.map((t) => t.name) ?? [];

/** A multi-task dataset whose `labels`/`classNames` mirror its first task. */
export function withTasks(ds: Omit<ImageDataset, 'labels' | 'classNames'>, tasks: TaskLabels[]) {
  const first = tasks[0]!;
  return { ...ds, labels: first.labels, classNames: first.classNames, tasks };
}

/**
 * The dataset restricted to `names`, in that order (the first is the primary task); an error
 * naming `params.tasks` and the known tasks when one is not in the dataset.
 */
export function selectTasks(ds: ImageDataset, names: readonly string[], what: string) {
  const known = datasetTasks(ds);
  if (known.length === 0) {
    throw new Error(
      `params.tasks: ${what} has one label per image (class folders); multi-task training needs a labels.csv folder or a multi-task demo dataset (docs/multitask.md)`,
    );
  }
  const missing = names.filter((n) => !known.includes(n));
  if (missing.length > 0) {
    throw new Error(
      `params.tasks: ${what} has no task ${missing.map((m) => `"${m}"`).join(', ')} (its tasks: ${known.join(', ')})`,
    );
  }
  return withTasks(
    ds,
    names.map((n) => ds.tasks!.find((t) => t.name === n)!),
  );
}

/** Examples grouped by first-task class; images without a first-task label form the last group. */
function groups(ds: ImageDataset): number[][] {
  const byClass = [...ds.classNames.map(() => [] as number[]), [] as number[]];
  ds.labels.forEach((l, i) => byClass[l === MISSING_LABEL ? ds.classNames.length : l]!.push(i));
  return byClass;
}

/**
 * Seeded train/val split stratified by the first task (missing labels as one more stratum),
 * as `stratifiedSplit` does for single-task data.
 */
export function splitMultiTask(
  ds: ImageDataset,
  opts: { valFraction: number; seed: number },
): { train: ImageDataset; val: ImageDataset } {
  const train: number[] = [];
  const val: number[] = [];
  groups(ds).forEach((idx, k) => {
    if (idx.length === 0) return;
    shuffleInPlace(idx, rngFor(opts.seed, Stream.data, k));
    const nVal =
      idx.length < 2
        ? 0
        : Math.min(idx.length - 1, Math.max(1, Math.round(idx.length * opts.valFraction)));
    val.push(...idx.slice(0, nVal));
    train.push(...idx.slice(nVal));
  });
  return { train: subset(ds, train), val: subset(ds, val) };
}

/** At most `n` examples of each first-task class (and of unlabelled ones), seeded, order kept. */
export function capPerFirstTaskClass(ds: ImageDataset, n: number, seed: number): ImageDataset {
  const byClass = groups(ds);
  if (byClass.every((idx) => idx.length <= n)) return ds;
  const keep = byClass.flatMap((idx, k) =>
    shuffleInPlace([...idx], rngFor(seed, Stream.data, 7_000 + k)).slice(0, n),
  );
  return subset(
    ds,
    keep.sort((a, b) => a - b),
  );
}

/** Throws when a multi-task split is empty, inconsistent, or a task has no label at all. */
export function validateMultiTask(ds: ImageDataset, what: string, needEveryTask: boolean): void {
  const n = ds.labels.length;
  if (n === 0) throw new Error(`${what} is empty (0 examples)`);
  if (ds.images.length !== n * imageSize(ds)) {
    throw new Error(`${what}: ${ds.images.length} pixel values do not match ${n} images`);
  }
  for (const t of ds.tasks ?? []) {
    if (t.labels.length !== n)
      throw new Error(`${what}: task ${t.name} has ${t.labels.length} labels for ${n} images`);
    let labelled = 0;
    for (const l of t.labels) {
      if (l === MISSING_LABEL) continue;
      if (l < 0 || l >= t.classNames.length) {
        throw new Error(
          `${what}: task ${t.name} has label ${l} outside 0..${t.classNames.length - 1}`,
        );
      }
      labelled++;
    }
    if (needEveryTask && labelled === 0) {
      throw new Error(
        `${what}: no image has a label for task ${t.name}: add labels to its column or drop it from params.tasks`,
      );
    }
  }
}
