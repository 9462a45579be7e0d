import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayersModel, Optimizer, Scalar, Tensor, Variable, io } from '@tensorflow/tfjs';
import type { Preprocessing } from '@retune/core';
import { tfjs } from './backend';
import { batchPixels, batchTensor, indexRange } from './data/batch';
import type { ImageDataset } from './data/dataset';
import {
  applyFreeze,
  freezeUnits,
  frozenCountAt,
  resolveFreezeCount,
  type BnMode,
  type FreezeReport,
} from './freeze';
import { FrozenBaseForward } from './frozen-base';
import { buildHead, buildTransferModel, loadModel, saveModel, type TransferModel } from './model';
import type { TrainParams } from './params';
import { rngFor, seedFor, shuffleInPlace, Stream } from './rng';

export interface EpochMetrics {
  loss: number;
  acc: number;
  /** Further metrics to report (per task, see ./multitask); absent for single-task training. */
  extra?: Record<string, number>;
}

export interface EvalMetrics {
  loss: number;
  acc: number;
  /** Accuracy per class (index = label). NaN for a class absent from the data. */
  perClass: number[];
  /** Further metrics to report (per task, see ./multitask); absent for single-task training. */
  extra?: Record<string, number>;
}

export interface TrainerConfig {
  base: LayersModel;
  params: TrainParams;
  seed: number;
  classes: number;
  /** How [0, 255] pixels become the base's input (default `unit`). */
  preprocessing?: Preprocessing;
  /** Layer to cut the base at (default: its output). */
  outputLayer?: string;
  /** bnMode when params leave it unset (default `frozen`). */
  defaultBnMode?: BnMode;
}

export type VariableGroup = 'head' | 'base';

interface OptimizerState {
  file: string;
  specs: io.WeightsManifestEntry[];
}

/** What a checkpoint folder's trainer-state.json holds besides the model itself. */
export interface CheckpointState {
  version: 1 | 2;
  epoch: number;
  seed: number;
  frozenCount: number;
  history: { epoch: number; values: Record<string, number> }[];
  optimizers: Record<VariableGroup, OptimizerState>;
  /** Order of the base optimizer's slots (version 2; see TransferTrainer.baseOrder). */
  baseVariables?: string[];
}

const STATE_FILE = 'trainer-state.json';

/**
 * Custom transfer-learning loop: one step = one tf.variableGrads pass over the trainable head
 * and base variables, whose gradients two optimizers apply to disjoint variable lists (headLr
 * for the head, baseLr for unfrozen base layers). Both optimizers live for the whole run, so
 * gradual unfreezing keeps the state (Adam moments, momentum) of variables already training.
 * All randomness derives from (seed, epoch, batch), so a run resumed from a checkpoint
 * continues exactly as the uninterrupted run would.
 */
export class TransferTrainer {
  readonly tm: TransferModel;
  readonly initialFrozen: number;
  frozenCount = -1;
  freezeReport: FreezeReport | undefined;
  readonly bnMode: BnMode;
  protected headOpt: Optimizer;
  protected baseOpt: Optimizer;
  /**
   * Base weights (layer-relative names such as `base_bn2/gamma`) in the order they first
   * trained. tfjs optimizers keep their slots by position in the gradient list, not by name;
   * unfreezing adds variables from the input side, so gradients are passed in this order
   * (newcomers last) to keep each slot with its variable.
   */
  protected baseOrder: string[] = [];
  /** Feature extraction's forward pass outside the gradient tape (built at first use). */
  private frozenBase: FrozenBaseForward | undefined | null = null;

  constructor(readonly cfg: TrainerConfig) {
    const { params } = cfg;
    this.tm = this.buildModel();
    this.bnMode = params.bnMode ?? cfg.defaultBnMode ?? 'frozen';
    this.initialFrozen = resolveFreezeCount(params.freezeDepth, this.freezeUnitCount());
    this.headOpt = this.makeOptimizer(params.headLr);
    this.baseOpt = this.makeOptimizer(params.baseLr);
    this.setEpoch(0);
  }

  /** Base + head (a subclass builds another network; it runs before its own fields exist). */
  protected buildModel(): TransferModel {
    const { params, seed } = this.cfg;
    const head = buildHead({
      units: params.units,
      dropout: params.dropout,
      classes: this.cfg.classes,
      seed,
    });
    return buildTransferModel(this.cfg.base, head, {
      preprocessing: this.cfg.preprocessing,
      outputLayer: this.cfg.outputLayer,
      pooling: params.head,
    });
  }

  /** The layers freezeDepth counts (along one path from input to output). */
  protected freezeUnitCount(): number {
    return freezeUnits(this.tm.baseLayers).length;
  }

  /** Freezes the first `count` freeze units (of every path). */
  protected freeze(count: number): FreezeReport {
    return applyFreeze(this.tm, count, this.bnMode);
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
   * Applies the freeze schedule for `epoch`; returns true when gradual unfreezing changed the
   * frozen set (the optimizers keep their state: newly trainable variables start with fresh slots).
   */
  setEpoch(epoch: number): boolean {
    const scheduled = frozenCountAt(this.initialFrozen, epoch, this.cfg.params);
    // Never re-freeze a layer that trained (a resumed run's new schedule may ask to): its
    // optimizer slots would lose their variable.
    const count = this.frozenCount === -1 ? scheduled : Math.min(scheduled, this.frozenCount);
    if (count === this.frozenCount) return false;
    const first = this.frozenCount === -1;
    this.freezeReport = this.freeze(count);
    this.frozenCount = count;
    return !first;
  }

  /** The base gradients in slot order (`baseOrder`), appending newly trainable variables. */
  protected orderedBaseGrads(grads: Record<string, Tensor>) {
    // Engine variable names carry a per-process suffix (base_bn2/gamma_7); weight names do not.
    const engineName = new Map(
      this.tm.baseLayers
        .flatMap((l) => l.trainableWeights)
        .map((w) => [w.originalName, (w.read() as Variable).name]),
    );
    const known = new Set(this.baseOrder);
    for (const name of engineName.keys()) if (!known.has(name)) this.baseOrder.push(name);
    return this.baseOrder.map((weight) => {
      const name = engineName.get(weight);
      if (!name) throw new Error(`base weight ${weight} trained before but is frozen now`);
      return { name, tensor: grads[name]! };
    });
  }

  /** Both optimizers' state, for checkpoints and tests (`iter` first, then the slots). */
  async optimizerWeights(group: VariableGroup) {
    return (group === 'head' ? this.headOpt : this.baseOpt).getWeights();
  }

  protected variables(group: VariableGroup): Variable[] {
    const layers = group === 'head' ? this.tm.headLayers : this.tm.baseLayers;
    return layers.flatMap((l) => l.trainableWeights).map((w) => w.read() as Variable);
  }

  protected setDropoutSeed(seed: number | undefined): void {
    for (const l of this.tm.headLayers) {
      if (l.getClassName() === 'Dropout') (l as unknown as { seed?: number }).seed = seed;
    }
  }

  /**
   * One optimisation step on a (possibly augmented) batch of [0, 255] pixels: one gradient
   * pass, then each optimizer applies its own variables' gradients. Returns the summed loss and
   * the number of correct predictions as scalars (the caller disposes them), so nothing waits
   * for the step to finish: on an asynchronous backend (GPU) the next batch is prepared while
   * this one computes.
   */
  trainStep(
    images: Float32Array,
    labels: Int32Array,
    shape: readonly number[],
    dropoutSeed: number,
  ): { lossSum: Scalar; correct: Scalar } {
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
        if (this.frozenBase === null) this.frozenBase = FrozenBaseForward.for(this.tm);
        const fast = baseVars.length === 0 ? this.frozenBase : undefined;
        const features = fast?.baseOutput(xs);
        let correct: Scalar | undefined;
        const { value, grads } = tf.variableGrads(() => {
          const probs = (
            fast ? fast.head(features!) : this.tm.model.apply(xs, { training: true })
          ) as Tensor;
          // Kept past the gradient tape's scope; the enclosing tidy returns (and owns) it.
          correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), labelsT), 'float32')));
          return tf.mean(tf.metrics.categoricalCrossentropy(ys, probs)) as Scalar;
        }, [...headVars, ...baseVars]);
        this.headOpt.applyGradients(
          headVars.map((v) => ({ name: v.name, tensor: grads[v.name]! })),
        );
        if (baseVars.length > 0) this.baseOpt.applyGradients(this.orderedBaseGrads(grads));
        return { lossSum: tf.mul(value, n) as Scalar, correct: correct! };
      });
    } finally {
      this.setDropoutSeed(undefined);
    }
  }

  /**
   * One epoch over `data`: seeded shuffle, seeded augmentation per batch (training only). Loss
   * and accuracy are summed on the device and read once, at the end of the epoch.
   */
  trainEpoch(data: ImageDataset, epoch: number): EpochMetrics {
    const tf = tfjs();
    const { batchSize, augment } = this.cfg.params;
    const seed = this.cfg.seed;
    const n = data.labels.length;
    const order = shuffleInPlace(
      Array.from({ length: n }, (_, i) => i),
      rngFor(seed, Stream.shuffle, epoch),
    );
    let totals = tf.zeros([2]);
    try {
      for (let b = 0, start = 0; start < n; b++, start += batchSize) {
        const idx = order.slice(start, start + batchSize);
        const labels = Int32Array.from(idx, (src) => data.labels[src]!);
        const images = batchPixels(data, idx, {
          params: augment,
          rng: rngFor(seed, Stream.augment, epoch, b),
        });
        const r = this.trainStep(
          images,
          labels,
          data.shape,
          seedFor(seed, Stream.dropout, epoch, b),
        );
        const next = tf.tidy(() => tf.add(totals, tf.stack([r.lossSum, r.correct])));
        tf.dispose([totals, r.lossSum, r.correct]);
        totals = next;
      }
      const [lossSum, correct] = totals.dataSync();
      return { loss: lossSum! / n, acc: correct! / n };
    } finally {
      totals.dispose();
    }
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
      version: 2,
      baseVariables: this.baseOrder,
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
    // Params may change on resume (population-based training: a new freezeDepth or unfreezing
    // schedule): layers the checkpoint trained stay trainable, more may unfreeze.
    const count = Math.min(
      frozenCountAt(this.initialFrozen, state.epoch, this.cfg.params),
      state.frozenCount,
    );
    if (count !== this.frozenCount) {
      this.freezeReport = this.freeze(count);
      this.frozenCount = count;
    }
    // Version 1 rebuilt the base optimizer at each unfreeze: its slots follow the variables.
    this.baseOrder =
      state.baseVariables ??
      this.tm.baseLayers.flatMap((l) => l.trainableWeights).map((w) => w.originalName);
    const saved = await loadModel(dir);
    try {
      for (const layer of this.tm.model.layers) {
        if (layer.weights.length === 0) continue;
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
