import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { splitInPlace, validateDataset, type ImageDataset } from './dataset';
import { decodeFiles } from './decode-cache';

/**
 * Image-folder datasets: `root/<class>/*.{png,jpg,jpeg}` (split into train/val by a stratified,
 * seeded split), or explicit `root/train/<class>` (+ `root/val/<class>`; without it the train
 * folder is split). An optional `root/test/<class>` holdout is loaded in both layouts, so
 * `train`, `val` and `test` are not class names at the top level.
 *
 * Images are decoded with sharp (./decode: EXIF orientation applied, alpha flattened onto
 * black, grey or sRGB, stretched to the model's input size) into 8-bit pixels, through the
 * decode cache when `cacheDir` is set. Unreadable files are skipped (reported through `warn`,
 * counted in `skipped`); a class folder without readable images, a root without class folders,
 * or a `val/` folder without `train/`, is an error naming the folder.
 */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

export interface ImageFolderOptions {
  /** [height, width, channels] the images are resized/converted to (channels 1 or 3). */
  imageShape: readonly [number, number, number];
  /** Validation fraction of the stratified split when there is no `val/` folder. */
  valFraction: number;
  /** Seed of the split. */
  seed: number;
  /** Called once per skipped (unreadable) image. */
  warn?: (msg: string) => void;
  /** Images decoded at once (default 8). */
  concurrency?: number;
  /** Decode cache folder (./decode-cache); without it every load decodes. */
  cacheDir?: string;
  /**
   * With `cacheDir`: a split whose pixels exceed this many bytes is streamed from its decode
   * cache entry (./image-store.ts) instead of held in memory. Default: always held.
   */
  streamAbove?: number;
}

export interface ImageFolderData {
  train: ImageDataset;
  val: ImageDataset;
  test?: ImageDataset;
  /** Unreadable images that were skipped, over all splits. */
  skipped: number;
  layout: 'flat' | 'train-val' | 'train-only';
}

const RESERVED = new Set(['train', 'val', 'test']);

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

const visible = (name: string) => !name.startsWith('.');
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorted class folder names under `dir` (hidden and, when `skipReserved`, split folders excluded). */
export function listClassFolders(dir: string, skipReserved = false): string[] {
  return readdirSync(dir)
    .filter((n) => visible(n) && isDir(join(dir, n)) && !(skipReserved && RESERVED.has(n)))
    .sort(byCodeUnit);
}

/** Sorted image files (by extension, case-insensitive) in one class folder. */
export function listImages(dir: string): string[] {
  return readdirSync(dir)
    .filter(
      (n) =>
        visible(n) &&
        (IMAGE_EXTENSIONS as readonly string[]).includes(extname(n).toLowerCase()) &&
        !isDir(join(dir, n)),
    )
    .sort(byCodeUnit);
}

/**
 * Loads `dir/<class>/*` for the given class names (label = index in `classNames`). Class folders
 * under `dir` that are not in `classNames` are an error; with `requireAll`, every class needs
 * at least one readable image.
 */
async function loadSplit(
  dir: string,
  classNames: readonly string[],
  opts: ImageFolderOptions,
  requireAll: boolean,
  skipReserved = false,
): Promise<{ ds: ImageDataset; skipped: number }> {
  const present = listClassFolders(dir, skipReserved);
  const unknown = present.filter((n) => !classNames.includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `${dir}: class folder(s) ${unknown.join(', ')} not in the training classes (${classNames.join(', ')})`,
    );
  }
  const files: { path: string; label: number }[] = [];
  classNames.forEach((name, label) => {
    const classDir = join(dir, name);
    if (!present.includes(name)) {
      if (requireAll) throw new Error(`class folder ${classDir} is missing`);
      return;
    }
    const images = listImages(classDir);
    if (images.length === 0) {
      throw new Error(
        `class folder ${classDir} has no images (${IMAGE_EXTENSIONS.join(', ')}); remove it or add images`,
      );
    }
    for (const f of images) files.push({ path: join(classDir, f), label });
  });
  const {
    pixels: images,
    errors,
    file,
  } = await decodeFiles(
    files.map((f) => f.path),
    opts.imageShape,
    {
      ...(opts.cacheDir && { cacheDir: opts.cacheDir }),
      ...(opts.concurrency && { concurrency: opts.concurrency }),
      ...(opts.warn && { warn: opts.warn }),
      ...(opts.streamAbove !== undefined && { streamAbove: opts.streamAbove }),
    },
  );
  const [h, w, c] = opts.imageShape;
  const labels = Int32Array.from(files.filter((_, i) => errors[i] === null).map((f) => f.label));
  const counts = classNames.map(() => 0);
  for (const l of labels) counts[l]!++;
  classNames.forEach((name, label) => {
    if (counts[label] === 0 && (requireAll || present.includes(name))) {
      throw new Error(`class folder ${join(dir, name)} has no readable images`);
    }
  });
  return {
    ds: {
      images,
      labels,
      shape: [h, w, c],
      classNames: [...classNames],
      ...(file && { store: { path: file, positions: Int32Array.from(labels.keys()) } }),
    },
    skipped: files.length - labels.length,
  };
}

export async function loadImageFolder(
  root: string,
  opts: ImageFolderOptions,
): Promise<ImageFolderData> {
  if (!existsSync(root)) {
    throw new Error(
      `unknown dataset "${root}": the folder does not exist (use a demo: dataset or an image folder ${root}/<class>/*.png|jpg|jpeg)`,
    );
  }
  if (!isDir(root)) throw new Error(`dataset ${root} is not a folder`);
  if (isDir(join(root, 'val')) && !isDir(join(root, 'train'))) {
    throw new Error(
      `dataset folder ${root} has a val/ folder but no train/ folder: put the training images in ${join(root, 'train')}/<class>/ (or move the classes up to ${root}/<class>/ and drop val/ to split them)`,
    );
  }
  const trainDir = isDir(join(root, 'train')) ? join(root, 'train') : root;
  const classNames = listClassFolders(trainDir, trainDir === root);
  if (classNames.length === 0) {
    throw new Error(
      `dataset folder ${trainDir} has no class folders (expected ${trainDir}/<class>/*.png|jpg|jpeg)`,
    );
  }
  const all = await loadSplit(trainDir, classNames, opts, true, trainDir === root);
  let skipped = all.skipped;
  let train: ImageDataset;
  let val: ImageDataset;
  let layout: ImageFolderData['layout'];
  const valDir = join(root, 'val');
  if (trainDir !== root && isDir(valDir)) {
    const v = await loadSplit(valDir, classNames, opts, true);
    skipped += v.skipped;
    ({ ds: train } = all);
    val = v.ds;
    layout = 'train-val';
  } else {
    validateDataset(all.ds, `dataset folder ${trainDir}`);
    ({ train, val } = splitInPlace(all.ds, { valFraction: opts.valFraction, seed: opts.seed }));
    layout = trainDir === root ? 'flat' : 'train-only';
  }
  let test: ImageDataset | undefined;
  const testDir = join(root, 'test');
  if (isDir(testDir)) {
    const t = await loadSplit(testDir, classNames, opts, false);
    skipped += t.skipped;
    if (t.ds.labels.length === 0) throw new Error(`test folder ${testDir} has no readable images`);
    test = t.ds;
  }
  return { train, val, ...(test && { test }), skipped, layout };
}
