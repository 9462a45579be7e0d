import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { perClassAccuracyName, type TrainerInput } from '@retune/core';
import type { LoadedTf } from './backend';
import { resolveBaseMeta, type ResolvedBaseMeta } from './base-meta';
import type { ImageDataset } from './data/dataset';
import { DATASET_PARAMS, loadTrialDataset } from './data/load';
import { finiteOnly, round6, type Emitter } from './emit';
import { baseImageShape, buildBaseModel, checkBaseInput, loadBaseModel, saveModel } from './model';
import { parseParams, type TrainParams } from './params';
import { DEMO_PRETRAINED_BASE, ensureDemoBase } from './pretrain';
import { readEnv } from './env';
import { loadBaseSpec } from './bases/load-named';
import { parseNamedBase } from './bases/registry';
import { TransferTrainer } from './trainer';
import type { TrialCache } from './serve/trial-cache';
import { MultiTaskTrainer } from './multitask/trainer';
import { bestPerTask, roundedExtra, taskHeads } from './multitask/values';

/** `demo:scratch`: a freshly initialised base (seeded by the trial seed); else a model.json. */
export const SCRATCH_BASE = 'demo:scratch';
/** Image shape of the demo bases (and of image folders used with them). */
export const DEMO_IMAGE_SHAPE: [number, number, number] = [28, 28, 1];

/** A base of random weights (`demo:scratch`, `scratch:…`): no BatchNorm statistics worth keeping. */
export const untrainedBase = (spec: string): boolean =>
  spec === SCRATCH_BASE || parseNamedBase(spec)?.untrained === true;

export async function loadBase(
  spec: string,
  imageShape: [number, number, number],
  seed: number,
  ctx: { emit: Emitter; backend: string },
): Promise<LayersModel> {
  if (spec === SCRATCH_BASE) return buildBaseModel({ inputShape: imageShape, seed });
  if (spec === DEMO_PRETRAINED_BASE) {
    const cacheDir = readEnv().modelCacheDir ?? '.data/models';
    const path = await ensureDemoBase(cacheDir, (msg) => ctx.emit.log('info', msg), ctx.backend);
    return loadBaseModel(path, imageShape);
  }
  if (spec.startsWith('demo:')) {
    throw new Error(
      `unknown base model "${spec}" (use ${SCRATCH_BASE}, ${DEMO_PRETRAINED_BASE} or a model.json path/URL)`,
    );
  }
  return loadBaseModel(spec, imageShape);
}

export interface TrainingResult {
  finalModelPath: string;
  values: Record<string, number>;
}

/**
 * The trainer a trial runs for `input` on `base`: its metadata resolved, its cut and BatchNorm
 * default applied. Exported so benchmarks time exactly the network a trial trains.
 */
export function trialTrainer(
  input: TrainerInput,
  params: TrainParams,
  base: LayersModel,
  train: ImageDataset,
): { trainer: TransferTrainer; meta: ResolvedBaseMeta } {
  const meta = resolveBaseMeta(input.baseModelMeta, input.baseModel, train.shape);
  const config = {
    base,
    params,
    seed: input.seed,
    classes: train.classNames.length,
    preprocessing: meta.preprocessing,
    // A baseOutputLayer param already cut the base at load time; the metadata's cut is a no-op
    // on a base cut there, and still applies inside nested bases.
    outputLayer: params.baseOutputLayer ? undefined : meta.outputLayer,
    defaultBnMode: untrainedBase(input.baseModel) ? ('train' as const) : ('frozen' as const),
  };
  const trainer = params.multiTask
    ? new MultiTaskTrainer({ ...config, multiTask: params.multiTask, heads: taskHeads(train) })
    : new TransferTrainer(config);
  return { trainer, meta };
}

/** Loads as given when there is no cache (a process per trial); see serve/trial-cache.ts. */
const uncached: TrialCache = {
  dataset: (_key, load) => load(),
  base: (_key, load) => load(),
  stats: () => ({ datasets: 0, datasetBytes: 0, bases: 0 }),
};

/**
 * Runs one trial end to end, speaking the trainer protocol through `emit`; a serving trainer
 * passes its cache of datasets and bases (bases of random weights are never cached).
 */
export async function trainTrial(
  input: TrainerInput,
  emit: Emitter,
  backend: Pick<LoadedTf, 'backend'>,
  cache: TrialCache = uncached,
): Promise<TrainingResult> {
  const { params, unknown } = parseParams(input.params);
  if (unknown.length > 0) emit.log('warn', `ignoring unknown params: ${unknown.join(', ')}`);
  // Image folders are converted to the base model's input shape, so a model.json base is loaded
  // first; the demo bases take 28×28×1 images.
  const cut = params.baseOutputLayer ?? input.baseModelMeta?.outputLayer;
  const bases = untrainedBase(input.baseModel) ? uncached : cache;
  const preloaded = input.baseModel.startsWith('demo:')
    ? undefined
    : await bases.base(JSON.stringify([input.baseModel, cut]), () =>
        loadBaseSpec(input.baseModel, cut, (msg) => emit.log('info', msg), input.seed),
      );
  const imageShape = preloaded ? baseImageShape(preloaded, input.baseModel) : DEMO_IMAGE_SHAPE;
  const dataKey = [input.dataset, imageShape, DATASET_PARAMS.map((name) => params[name])];
  const { train, val, test, skipped } = await cache.dataset(JSON.stringify(dataKey), () =>
    loadTrialDataset(input.dataset, params, {
      imageShape,
      warn: (msg) => emit.log('warn', msg),
    }),
  );
  const base = preloaded
    ? checkBaseInput(preloaded, input.baseModel, train.shape)
    : await bases.base(JSON.stringify([input.baseModel, train.shape]), () =>
        loadBase(input.baseModel, train.shape, input.seed, {
          emit,
          backend: backend.backend,
        }),
      );
  const { trainer, meta } = trialTrainer(input, params, base, train);
  try {
    const report = trainer.freezeReport!;
    emit.log(
      'info',
      `backend ${backend.backend}; ${train.labels.length} train / ${val.labels.length} val` +
        (test ? ` / ${test.labels.length} test` : '') +
        ` images [${train.shape.join('×')}]` +
        (skipped ? ` (${skipped} unreadable skipped)` : '') +
        `, ` +
        `${train.classNames.length} classes; base ${input.baseModel} (${trainer.tm.baseLayers.length} layers, ` +
        `${report.frozen.length + report.trainable.length} with weights), ` +
        `preprocessing ${meta.preprocessing.kind} (${meta.source}), bnMode ${trainer.bnMode}, ` +
        `frozen ${report.frozen.length}: [${report.frozen.join(', ')}]`,
    );
    mkdirSync(input.checkpointDir, { recursive: true });
    let history: { epoch: number; values: Record<string, number> }[] = [];
    let startEpoch = 0;
    if (input.resumeFrom) {
      const state = await trainer.restoreCheckpoint(input.resumeFrom);
      history = state.history;
      startEpoch = state.epoch + 1;
      emit.log('info', `resumed from ${input.resumeFrom} at epoch ${startEpoch}`);
    }
    const batches = Math.ceil(train.labels.length / params.batchSize);
    let diverged = false;
    let trainMs = 0;
    let timedEpochs = 0;
    for (let epoch = startEpoch; epoch < params.epochs; epoch++) {
      if (trainer.setEpoch(epoch)) {
        emit.log(
          'info',
          `epoch ${epoch}: unfroze to ${trainer.frozenCount} frozen base layers (optimizer state kept)`,
        );
      }
      const started = performance.now();
      const t = trainer.trainEpoch(train, epoch);
      trainMs += performance.now() - started;
      timedEpochs++;
      const v = trainer.evaluate(val);
      const values = {
        loss: round6(t.loss),
        acc: round6(t.acc),
        val_loss: round6(v.loss),
        val_acc: round6(v.acc),
        frozen_layers: trainer.frozenCount,
        ...roundedExtra(t.extra),
        ...roundedExtra(v.extra),
      };
      emit.metric(epoch, (epoch + 1) * batches, finiteOnly(values));
      history.push({ epoch, values: finiteOnly(values) });
      if (!Number.isFinite(t.loss) || !Number.isFinite(v.loss)) {
        emit.log('warn', `training diverged at epoch ${epoch} (loss is not finite); stopping`);
        diverged = true;
        break;
      }
      const dir = join(input.checkpointDir, `epoch-${epoch}`);
      await trainer.saveCheckpoint(dir, { epoch, history });
      emit.checkpoint(epoch, dir);
    }
    const finalDir = join(input.checkpointDir, 'final');
    const finalModelPath = await saveModel(trainer.model, finalDir);
    const final = trainer.evaluate(val);
    let best = { epoch: -1, acc: -Infinity };
    for (const h of history) {
      const acc = h.values['val_acc'];
      if (acc !== undefined && acc > best.acc) best = { epoch: h.epoch, acc };
    }
    const values: Record<string, number> = {
      val_acc: round6(final.acc),
      val_loss: round6(final.loss),
      best_val_acc: round6(Math.max(best.acc, final.acc)),
      best_epoch: best.epoch,
      epochs: history.length,
      native_backend: backend.backend === 'tensorflow' ? 1 : 0,
      diverged: diverged ? 1 : 0,
      // Objectives a multi-objective sweep can trade accuracy against.
      trainable_params: trainer.model.trainableWeights.reduce(
        (n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
        0,
      ),
      ...(timedEpochs > 0 ? { epoch_seconds: round6(trainMs / timedEpochs / 1000) } : {}),
      ...roundedExtra(final.extra),
      ...bestPerTask(history, final.extra, params.multiTask?.tasks ?? []),
    };
    final.perClass.forEach((a, k) => {
      values[perClassAccuracyName(train.classNames[k]!)] = round6(a);
    });
    if (test) {
      const t = trainer.evaluate(test);
      values['test_acc'] = round6(t.acc);
      values['test_loss'] = round6(t.loss);
    }
    if (skipped !== undefined) values['skipped_images'] = skipped;
    emit.result(finiteOnly(values), finalModelPath);
    return { finalModelPath, values: finiteOnly(values) };
  } finally {
    trainer.dispose();
    // The base's layers are shared with the trial's model; its own references go with it, so
    // a serving trainer's tensor count returns to where it was (serve/serve.spec.ts).
    base.dispose();
  }
}
