import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayersModel, Optimizer, Scalar, Tensor, Variable, io } from '@tensorflow/tfjs';
import { tfjs } from './backend';
import { batchPixels, batchTensor, indexRange } from './data/batch';
import type { ImageDataset } from './data/dataset';
import { applyFreeze, frozenCountAt, resolveFreezeCount, type FreezeReport } from './freeze';
import { buildHead, buildTransferModel, loadModel, saveModel, type TransferModel } from './model';
import type { TrainParams } from './params';
import { rngFor, seedFor, shuffleInPlace, Stream } from './rng';

export interface EpochMetrics {
  loss: number;
  acc: number;
}

export interface EvalMetrics {
  loss: number;
  acc: number;
  /** Accuracy per class (index = label). NaN for a class absent from the data. */
  perClass: number[];
}

export interface TrainerConfig {
  base: LayersModel;
  params: TrainParams;
  seed: number;
  classes: number;
}

type VariableGroup = 'head' | 'base';

interface OptimizerState {
  file: string;
  specs: io.WeightsManifestEntry[];
}

/** What a checkpoint folder's trainer-state.json holds besides the model itself. */
export interface CheckpointState {
  version: 1;
  epoch: number;
  seed: number;
  frozenCount: number;
  history: { epoch: number; values: Record<string, number> }[];
  optimizers: Record<VariableGroup, OptimizerState>;
}

const STATE_FILE = 'trainer-state.json';

/**
 * Custom transfer-learning loop: one step = tf.variableGrads over the trainable head and base
 * variables, then two optimizers (headLr for the head, baseLr for unfrozen base layers).
 * All randomness derives from (seed, epoch, batch), so a run resumed from a checkpoint
 * continues exactly as the uninterrupted run would.
 */
export class TransferTrainer {
  readonly tm: TransferModel;
  readonly initialFrozen: number;
  frozenCount = -1;
  freezeReport: FreezeReport | undefined;
  private headOpt: Optimizer;
  private baseOpt: Optimizer;

  constructor(readonly cfg: TrainerConfig) {
    const { params, seed } = cfg;
    const head = buildHead({
      units: params.units,
      dropout: params.dropout,
      classes: cfg.classes,
      seed,
    });
    this.tm = buildTransferModel(cfg.base, head);
    this.initialFrozen = resolveFreezeCount(params.freezeDepth, this.tm.baseLayers.length);
    this.headOpt = this.makeOptimizer(params.headLr);
    this.baseOpt = this.makeOptimizer(params.baseLr);
    this.setEpoch(0);
  }

  get model(): LayersModel {
    return this.tm.model;
  }

  private makeOptimizer(lr: number): Optimizer {
    const tf = tfjs();
    const { optimizer, momentum } = this.cfg.params;
    if (optimizer === 'adam') return tf.train.adam(lr);
    return momentum > 0 ? tf.train.momentum(lr, momentum) : tf.train.sgd(lr);
  }

  /**
   * Applies the freeze schedule for `epoch`. When the frozen set changes (gradual unfreezing),
   * the base optimizer is rebuilt for the new variable set ("recompile"); returns true then.
   */
  setEpoch(epoch: number): boolean {
    const count = frozenCountAt(this.initialFrozen, epoch, this.cfg.params);
    if (count === this.frozenCount) return false;
    const first = this.frozenCount === -1;
    this.freezeReport = applyFreeze(this.tm, count);
    this.frozenCount = count;
    if (!first) {
      this.baseOpt.dispose();
      this.baseOpt = this.makeOptimizer(this.cfg.params.baseLr);
    }
    return !first;
  }

  private variables(group: VariableGroup): Variable[] {
    const layers = group === 'head' ? this.tm.headLayers : this.tm.baseLayers;
    return layers.flatMap((l) => l.trainableWeights).map((w) => w.read() as Variable);
  }

  private setDropoutSeed(seed: number | undefined): void {
    for (const l of this.tm.headLayers) {
      if (l.getClassName() === 'Dropout') (l as unknown as { seed?: number }).seed = seed;
    }
  }

  /** One optimisation step on a (possibly augmented) batch; returns summed loss and #correct. */
  trainStep(
    images: Float32Array,
    labels: Int32Array,
    shape: readonly number[],
    dropoutSeed: number,
  ) {
    const tf = tfjs();
    const n = labels.length;
    this.setDropoutSeed(dropoutSeed);
    try {
      return tf.tidy(() => {
        const xs = tf.tensor4d(images, [n, shape[0]!, shape[1]!, shape[2]!]);
        const labelsT = tf.tensor1d(labels, 'int32');
        const ys = tf.oneHot(labelsT, this.cfg.classes);
        const headVars = this.variables('head');
        const baseVars = this.variables('base');
        let correct = 0;
        const { value, grads } = tf.variableGrads(() => {
          const probs = this.tm.model.apply(xs, { training: true }) as Tensor;
          correct = tf
            .sum(tf.cast(tf.equal(tf.argMax(probs, 1), labelsT), 'float32'))
            .dataSync()[0]!;
          return tf.mean(tf.metrics.categoricalCrossentropy(ys, probs)) as Scalar;
        }, [...headVars, ...baseVars]);
        const pick = (vars: Variable[]) =>
          Object.fromEntries(vars.map((v) => [v.name, grads[v.name]!]));
        this.headOpt.applyGradients(pick(headVars));
        if (baseVars.length > 0) this.baseOpt.applyGradients(pick(baseVars));
        return { lossSum: value.dataSync()[0]! * n, correct };
      });
    } finally {
      this.setDropoutSeed(undefined);
    }
  }

  /** One epoch over `data`: seeded shuffle, seeded augmentation per batch (training only). */
  trainEpoch(data: ImageDataset, epoch: number): EpochMetrics {
    const { batchSize, augment } = this.cfg.params;
    const seed = this.cfg.seed;
    const n = data.labels.length;
    const order = shuffleInPlace(
      Array.from({ length: n }, (_, i) => i),
      rngFor(seed, Stream.shuffle, epoch),
    );
    let lossSum = 0;
    let correct = 0;
    for (let b = 0, start = 0; start < n; b++, start += batchSize) {
      const idx = order.slice(start, start + batchSize);
      const labels = Int32Array.from(idx, (src) => data.labels[src]!);
      const images = batchPixels(data, idx, {
        params: augment,
        rng: rngFor(seed, Stream.augment, epoch, b),
      });
      const r = this.trainStep(images, labels, data.shape, seedFor(seed, Stream.dropout, epoch, b));
      lossSum += r.lossSum;
      correct += r.correct;
    }
    return { loss: lossSum / n, acc: correct / n };
  }

  /** Loss, accuracy and per-class accuracy in inference mode (no augmentation, no dropout). */
  evaluate(data: ImageDataset, batchSize = 256): EvalMetrics {
    const tf = tfjs();
    const n = data.labels.length;
    const hits = new Array<number>(this.cfg.classes).fill(0);
    const totals = new Array<number>(this.cfg.classes).fill(0);
    let lossSum = 0;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const labels = data.labels.subarray(start, end);
      const { loss, pred } = tf.tidy(() => {
        const xs = batchTensor(data, indexRange(start, end));
        const probs = this.tm.model.predict(xs) as Tensor;
        const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), this.cfg.classes);
        return {
          loss: tf.sum(tf.metrics.categoricalCrossentropy(ys, probs)).dataSync()[0]!,
          pred: tf.argMax(probs, 1).dataSync(),
        };
      });
      lossSum += loss;
      labels.forEach((l, j) => {
        totals[l]! += 1;
        if (pred[j] === l) hits[l]! += 1;
      });
    }
    const correct = hits.reduce((a, b) => a + b, 0);
    return {
      loss: lossSum / n,
      acc: correct / n,
      perClass: hits.map((hit, k) => (totals[k]! > 0 ? hit / totals[k]! : Number.NaN)),
    };
  }

  /** Writes model (tfjs LayersModel) + optimizer state + `state` into `dir`. */
  async saveCheckpoint(
    dir: string,
    state: Pick<CheckpointState, 'epoch' | 'history'>,
  ): Promise<void> {
    const tf = tfjs();
    mkdirSync(dir, { recursive: true });
    await saveModel(this.tm.model, dir);
    const optimizers = {} as Record<VariableGroup, OptimizerState>;
    for (const [group, opt] of [
      ['head', this.headOpt],
      ['base', this.baseOpt],
    ] as const) {
      const weights = await opt.getWeights();
      const { data, specs } = await tf.io.encodeWeights(weights);
      // getWeights() returns the state variables themselves plus a fresh `iter` scalar.
      for (const w of weights) if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
      const file = `optimizer-${group}.bin`;
      writeFileSync(join(dir, file), new Uint8Array(data as ArrayBuffer));
      optimizers[group] = { file, specs };
    }
    const full: CheckpointState = {
      version: 1,
      epoch: state.epoch,
      seed: this.cfg.seed,
      frozenCount: this.frozenCount,
      history: state.history,
      optimizers,
    };
    writeFileSync(join(dir, STATE_FILE), JSON.stringify(full, null, 1));
  }

  /** Restores weights (by layer name), BN statistics and optimizer state from a checkpoint. */
  async restoreCheckpoint(dir: string): Promise<CheckpointState> {
    const tf = tfjs();
    const statePath = join(dir, STATE_FILE);
    if (!existsSync(statePath)) {
      throw new Error(`resumeFrom ${dir} is not a checkpoint (no ${STATE_FILE})`);
    }
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as CheckpointState;
    if (state.seed !== this.cfg.seed) {
      throw new Error(
        `checkpoint ${dir} was written with seed ${state.seed}, this trial has seed ${this.cfg.seed}`,
      );
    }
    // The freeze schedule as it was when the checkpoint was written (the next setEpoch call
    // rebuilds the base optimizer exactly when the uninterrupted run would have).
    const count = frozenCountAt(this.initialFrozen, state.epoch, this.cfg.params);
    if (count !== state.frozenCount) {
      throw new Error(
        `checkpoint ${dir} froze ${state.frozenCount} layers, these params give ${count}`,
      );
    }
    if (count !== this.frozenCount) {
      this.freezeReport = applyFreeze(this.tm, count);
      this.frozenCount = count;
    }
    const saved = await loadModel(dir);
    try {
      for (const layer of this.tm.model.layers) {
        let src;
        try {
          src = saved.getLayer(layer.name);
        } catch {
          throw new Error(`checkpoint ${dir} has no layer "${layer.name}"`);
        }
        layer.setWeights(src.getWeights());
      }
    } finally {
      saved.dispose();
    }
    for (const [group, opt] of [
      ['head', this.headOpt],
      ['base', this.baseOpt],
    ] as const) {
      const o = state.optimizers[group];
      const buf = readFileSync(join(dir, o.file));
      const map = tf.io.decodeWeights(
        buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
        o.specs,
      );
      const list: Parameters<Optimizer['setWeights']>[0] = o.specs.map((s) => ({
        name: s.name,
        tensor: map[s.name]!,
      }));
      await opt.setWeights(list);
      for (const t of list) t.tensor.dispose();
    }
    return state;
  }

  dispose(): void {
    this.headOpt.dispose();
    this.baseOpt.dispose();
    this.tm.model.dispose();
  }
}
