import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor, Tensor1D, Variable } from '@tensorflow/tfjs';
import { taskMetricName, type MultiTaskSettings } from '@retune/core';
import { tfjs } from '../backend';
import { batchPixels, batchTensor, indexRange } from '../data/batch';
import type { ImageDataset } from '../data/dataset';
import { MISSING_LABEL } from '../data/multitask';
import { applyFreeze, type FreezeReport } from '../freeze';
import type { TransferModel } from '../model';
import { rngFor, seedFor, shuffleInPlace, Stream } from '../rng';
import {
  TransferTrainer,
  type CheckpointState,
  type EpochMetrics,
  type EvalMetrics,
  type TrainerConfig,
  type VariableGroup,
} from '../trainer';
import { multiTaskLoss, type LossWeights } from './loss';
import { buildMultiTaskModel, type MultiTaskModel, type TaskHead } from './model';

export interface MultiTaskTrainerConfig extends TrainerConfig {
  multiTask: MultiTaskSettings;
  /** Classes per task, in the order of multiTask.tasks. */
  heads: TaskHead[];
}

const STATE_FILE = 'multitask-state.json';

/**
 * The transfer trainer with one head (and optionally one tower) per task: the same optimizers,
 * freeze schedule, discriminative learning rates, augmentation, seeding and checkpoints as
 * TransferTrainer, with the loss of ./loss and per-task metrics (docs/multitask.md). With
 * `auto` weights the tasks' log-variances train with the head optimizer.
 */
export class MultiTaskTrainer extends TransferTrainer {
  declare readonly cfg: MultiTaskTrainerConfig;

  constructor(cfg: MultiTaskTrainerConfig) {
    super(cfg);
  }

  get mtm(): MultiTaskModel & { logVars?: Variable } {
    return this.tm as MultiTaskModel & { logVars?: Variable };
  }

  protected override buildModel(): TransferModel {
    const { params, multiTask } = this.cfg;
    const mtm = buildMultiTaskModel(this.cfg.base, {
      heads: this.cfg.heads,
      shareDepth: multiTask.shareDepth,
      units: params.units,
      dropout: params.dropout,
      seed: this.cfg.seed,
      ...(this.cfg.preprocessing && { preprocessing: this.cfg.preprocessing }),
      ...(this.cfg.outputLayer && { outputLayer: this.cfg.outputLayer }),
      pooling: params.head,
    });
    if (multiTask.sharing === 'soft' && mtm.towers.every((t) => t.length === 0)) {
      throw new Error(
        `params.sharing: soft sharing needs towers, but shareDepth ${mtm.unitCount} shares the whole base: set shareDepth below ${mtm.unitCount}, or use sharing: hard`,
      );
    }
    const tf = tfjs();
    // Unnamed: engine variable names are global, and several trainers may live at once.
    const logVars =
      multiTask.weights === 'auto'
        ? tf.tidy(() => tf.variable(tf.zeros([this.cfg.heads.length]), true))
        : undefined;
    return Object.assign(mtm, logVars ? { logVars } : {});
  }

  protected override freezeUnitCount(): number {
    return this.mtm.unitCount;
  }

  /** Freezes the same units along every task's path (the trunk once, each tower's copy alike). */
  protected override freeze(count: number): FreezeReport {
    const reports = this.mtm.paths.map((p) => applyFreeze(p, count, this.bnMode));
    const names = (key: 'frozen' | 'trainable') => [...new Set(reports.flatMap((r) => r[key]))];
    return {
      frozen: names('frozen'),
      trainable: names('trainable'),
      trainableWeightsBefore: reports[0]!.trainableWeightsBefore,
      trainableWeightsAfter: this.tm.model.trainableWeights.length,
    };
  }

  protected override variables(group: VariableGroup): Variable[] {
    const vars = super.variables(group);
    const lv = this.mtm.logVars;
    return group === 'head' && lv ? [...vars, lv] : vars;
  }

  /** The loss weights of ./loss: fixed, or the learned log-variances. */
  private lossWeights(): LossWeights {
    const w = this.cfg.multiTask.weights;
    return w === 'auto' ? { logVars: this.mtm.logVars as Tensor1D } : { fixed: w };
  }

  /** Effective weight per task: wᵢ, or exp(−sᵢ) with `auto`. */
  taskWeights(): number[] {
    const w = this.cfg.multiTask.weights;
    if (w !== 'auto') return [...w];
    return Array.from(tfjs().tidy(() => tfjs().exp(tfjs().neg(this.mtm.logVars!)).dataSync()));
  }

  private towerVariables(): Variable[][] {
    return this.mtm.towers.map((t) =>
      t.flatMap((l) => l.trainableWeights).map((w) => w.read() as Variable),
    );
  }

  /** The single-task step has one label array; multi-task batches go through trainStepMulti. */
  override trainStep(): never {
    throw new Error('MultiTaskTrainer trains with trainStepMulti (one label array per task)');
  }

  /**
   * One step: one gradient pass over heads, trunk and towers (and log-variances), each optimizer
   * applying its group. Returns [loss·n, then per task Σ CE, correct, labelled] on the device.
   */
  trainStepMulti(
    images: Float32Array,
    labels: Int32Array[],
    shape: readonly number[],
    dropoutSeed: number,
  ): Tensor {
    const tf = tfjs();
    const n = labels[0]!.length;
    const { multiTask } = this.cfg;
    this.setDropoutSeed(dropoutSeed);
    try {
      return tf.tidy(() => {
        const xs = tf.tensor4d(images, [n, shape[0]!, shape[1]!, shape[2]!]);
        const labelsT = labels.map((l) => tf.tensor1d(l, 'int32'));
        const headVars = this.variables('head');
        const baseVars = this.variables('base');
        let stats: Tensor | undefined;
        const { grads } = tf.variableGrads(() => {
          const outs = asList(this.tm.model.apply(xs, { training: true }) as Tensor | Tensor[]);
          const loss = multiTaskLoss(
            outs.map((probs, i) => ({
              probs,
              labels: labelsT[i]!,
              classes: this.cfg.heads[i]!.classes,
            })),
            this.lossWeights(),
            multiTask.sharing === 'soft'
              ? { penalty: multiTask.softPenalty, towers: this.towerVariables() }
              : undefined,
          );
          const perTask = loss.sums.flatMap((s, i) => [s, loss.correct[i]!, loss.counts[i]!]);
          stats = tf.keep(tf.stack([tf.mul(loss.total, n), ...perTask]));
          return loss.total;
        }, [...headVars, ...baseVars]);
        const grad = (v: Variable) => grads[v.name] ?? tf.zerosLike(v);
        this.headOpt.applyGradients(headVars.map((v) => ({ name: v.name, tensor: grad(v) })));
        if (baseVars.length > 0) this.baseOpt.applyGradients(this.orderedBaseGrads(grads));
        return stats!;
      });
    } finally {
      this.setDropoutSeed(undefined);
    }
  }

  /** One epoch, seeded like TransferTrainer.trainEpoch; per-task sums read once at the end. */
  override trainEpoch(data: ImageDataset, epoch: number): EpochMetrics {
    const tf = tfjs();
    const { batchSize, augment } = this.cfg.params;
    const seed = this.cfg.seed;
    const tasks = data.tasks ?? [];
    const n = data.labels.length;
    const order = shuffleInPlace(
      Array.from({ length: n }, (_, i) => i),
      rngFor(seed, Stream.shuffle, epoch),
    );
    let totals = tf.zeros([1 + 3 * tasks.length]);
    try {
      for (let b = 0, start = 0; start < n; b++, start += batchSize) {
        const idx = order.slice(start, start + batchSize);
        const labels = tasks.map((t) => Int32Array.from(idx, (src) => t.labels[src]!));
        const images = batchPixels(data, idx, {
          params: augment,
          rng: rngFor(seed, Stream.augment, epoch, b),
        });
        const stats = this.trainStepMulti(
          images,
          labels,
          data.shape,
          seedFor(seed, Stream.dropout, epoch, b),
        );
        const next = tf.add(totals, stats);
        tf.dispose([totals, stats]);
        totals = next;
      }
      const v = totals.dataSync();
      const weights = this.taskWeights();
      const extra: Record<string, number> = {};
      const accs: number[] = [];
      tasks.forEach((t, i) => {
        const [sum, correct, count] = [v[1 + 3 * i]!, v[2 + 3 * i]!, v[3 + 3 * i]!];
        if (count > 0) {
          extra[taskMetricName('loss', t.name)] = sum / count;
          accs.push(correct / count);
        }
        extra[taskMetricName('task_weight', t.name)] = weights[i]!;
      });
      return { loss: v[0]! / n, acc: mean(accs), extra };
    } finally {
      totals.dispose();
    }
  }

  /** Per-task loss and accuracy in inference mode; totals as docs/multitask.md defines them. */
  override evaluate(data: ImageDataset, batchSize = 256): EvalMetrics {
    const tf = tfjs();
    const tasks = data.tasks ?? [];
    const n = data.labels.length;
    const sums = tasks.map(() => ({ loss: 0, hits: 0, count: 0 }));
    const first = tasks[0]!;
    const classHits = first.classNames.map(() => 0);
    const classTotals = first.classNames.map(() => 0);
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const res = tf.tidy(() => {
        const outs = asList(this.tm.model.predict(batchTensor(data, indexRange(start, end))));
        return outs.map((probs, i) => {
          const labels = tasks[i]!.labels.subarray(start, end);
          const ys = tf.oneHot(
            tf.maximum(tf.tensor1d(labels, 'int32'), tf.scalar(0, 'int32')) as Tensor1D,
            tasks[i]!.classNames.length,
          );
          return {
            ce: tf.metrics.categoricalCrossentropy(ys, probs).dataSync(),
            pred: tf.argMax(probs, 1).dataSync(),
            labels,
          };
        });
      });
      res.forEach(({ ce, pred, labels }, i) => {
        labels.forEach((l, j) => {
          if (l === MISSING_LABEL) return;
          const s = sums[i]!;
          s.loss += ce[j]!;
          s.count++;
          if (pred[j] === l) s.hits++;
          if (i === 0) {
            classTotals[l]!++;
            if (pred[j] === l) classHits[l]!++;
          }
        });
      });
    }
    const weights = this.taskWeights();
    const extra: Record<string, number> = {};
    let loss = 0;
    const accs: number[] = [];
    tasks.forEach((t, i) => {
      const s = sums[i]!;
      if (s.count === 0) return;
      extra[taskMetricName('val_acc', t.name)] = s.hits / s.count;
      extra[taskMetricName('val_loss', t.name)] = s.loss / s.count;
      loss += weights[i]! * (s.loss / s.count);
      accs.push(s.hits / s.count);
    });
    return {
      loss: accs.length > 0 ? loss : Number.NaN,
      acc: mean(accs),
      perClass: classHits.map((h, k) => (classTotals[k]! > 0 ? h / classTotals[k]! : Number.NaN)),
      extra,
    };
  }

  /** TransferTrainer's checkpoint plus the log-variances of `auto` weighting. */
  override async saveCheckpoint(
    dir: string,
    state: Pick<CheckpointState, 'epoch' | 'history'>,
  ): Promise<void> {
    await super.saveCheckpoint(dir, state);
    const lv = this.mtm.logVars;
    const saved = { tasks: this.mtm.tasks, logVars: lv ? Array.from(lv.dataSync()) : null };
    writeFileSync(join(dir, STATE_FILE), JSON.stringify(saved));
  }

  override async restoreCheckpoint(dir: string): Promise<CheckpointState> {
    const state = await super.restoreCheckpoint(dir);
    const path = join(dir, STATE_FILE);
    if (!existsSync(path))
      throw new Error(`checkpoint ${dir} is not a multi-task checkpoint (no ${STATE_FILE})`);
    const saved = JSON.parse(readFileSync(path, 'utf8')) as {
      tasks: string[];
      logVars: number[] | null;
    };
    if (saved.tasks.join(',') !== this.mtm.tasks.join(',')) {
      throw new Error(
        `checkpoint ${dir} has tasks ${saved.tasks.join(',')}, this trial ${this.mtm.tasks.join(',')}`,
      );
    }
    const lv = this.mtm.logVars;
    if (lv && saved.logVars) {
      const values = tfjs().tensor1d(saved.logVars);
      lv.assign(values);
      values.dispose();
    }
    return state;
  }

  override dispose(): void {
    this.mtm.logVars?.dispose();
    super.dispose();
  }
}

/** A model with one task has one output (a Tensor, not a list). */
const asList = (out: Tensor | Tensor[]): Tensor[] => (Array.isArray(out) ? out : [out]);

const mean = (xs: number[]) =>
  xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
