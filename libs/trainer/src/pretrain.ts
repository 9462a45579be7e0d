import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { finiteOnly, round6, type Emitter } from './emit';
import { buildBaseModel, saveModel } from './model';
import { parseParams } from './params';
import { loadDataset } from './data/load';
import { TransferTrainer } from './trainer';

export interface PretrainOptions {
  outDir: string;
  dataset?: string;
  epochs?: number;
  seed?: number;
  trainPerClass?: number;
  emit: Emitter;
  backend: string;
}

/**
 * Trains base + a throwaway head on the source task with nothing frozen, then saves only the
 * base (input → base_flatten) as a tfjs LayersModel in `outDir`. Returns model.json's path.
 */
export async function pretrainBase(opts: PretrainOptions): Promise<string> {
  const seed = opts.seed ?? 1;
  const { params } = parseParams({
    epochs: opts.epochs ?? 3,
    headLr: 1e-3,
    baseLr: 1e-3,
    freezeDepth: 'full',
    bnMode: 'train', // trained from scratch: BatchNorm learns its statistics
    units: 64,
    dropout: 0.2,
    trainPerClass: opts.trainPerClass ?? 300,
    valPerClass: 50,
  });
  const { train, val } = loadDataset(opts.dataset ?? 'demo:mnist-0-4', params);
  const trainer = new TransferTrainer({
    base: buildBaseModel({ inputShape: train.shape, seed }),
    params,
    seed,
    classes: train.classNames.length,
  });
  try {
    let v = { acc: 0, loss: 0 };
    for (let epoch = 0; epoch < params.epochs; epoch++) {
      const t = trainer.trainEpoch(train, epoch);
      v = trainer.evaluate(val);
      opts.emit.metric(
        epoch,
        (epoch + 1) * Math.ceil(train.labels.length / params.batchSize),
        finiteOnly({
          loss: round6(t.loss),
          acc: round6(t.acc),
          val_loss: round6(v.loss),
          val_acc: round6(v.acc),
        }),
      );
    }
    // The transfer model reuses the base's layer objects, so the base model holds the trained
    // weights (and takes [0, 1] images: its preprocessing is `unit`).
    const path = await saveModel(trainer.cfg.base, opts.outDir);
    opts.emit.result(
      finiteOnly({
        val_acc: round6(v.acc),
        val_loss: round6(v.loss),
        native_backend: opts.backend === 'tensorflow' ? 1 : 0,
      }),
      path,
    );
    return path;
  } finally {
    trainer.dispose();
  }
}

/** `demo:mnist-0-4-cnn`: the demo base pretrained on digits 0–4 (seed 1, 3 epochs, 300/class). */
export const DEMO_PRETRAINED_BASE = 'demo:mnist-0-4-cnn';
// v2: BatchNorm momentum 0.9 (was 0.99).
const DEMO_BASE_DIR = 'mnist-0-4-cnn-v2';

/**
 * Path of the cached demo base's model.json, pretraining it first when the cache lacks it
 * (a few seconds on the native backend). Concurrent trials may race: each writes to its own
 * temporary folder and the first rename wins.
 */
export async function ensureDemoBase(
  cacheDir: string,
  log: (msg: string) => void,
  backend: string,
): Promise<string> {
  const dir = resolve(cacheDir, DEMO_BASE_DIR);
  const json = join(dir, 'model.json');
  if (existsSync(json)) return json;
  log(`pretraining ${DEMO_PRETRAINED_BASE} on demo:mnist-0-4 (cached in ${dir})`);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const silent: Emitter = { metric() {}, checkpoint() {}, log() {}, result() {} };
  await pretrainBase({
    outDir: tmp,
    epochs: 3,
    seed: 1,
    trainPerClass: 300,
    emit: silent,
    backend,
  });
  try {
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(json)) throw err;
  }
  return json;
}
