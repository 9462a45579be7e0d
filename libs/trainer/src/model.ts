import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { io, layers, LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { Preprocessing } from '@retune/core';
import { tfjs } from './backend';
import { DownloadRefusedError, downloadModel } from './download/guarded-download';
import { readDownloadPolicy } from './env';
import { flattenBase } from './flatten';
import { preprocessLayer, registerCustomLayers } from './preprocess';
import { seedFor, Stream } from './rng';

export type Layer = layers.Layer;

/** A base (feature extractor) plus a new classifier head, as one flat functional model. */
export interface TransferModel {
  model: LayersModel;
  /**
   * Base layers from the input side (input and preprocessing excluded, nested models expanded
   * into their inner layers); freezeDepth counts those of them that hold weights.
   */
  baseLayers: Layer[];
  headLayers: Layer[];
}

/**
 * BatchNorm of Retune's own bases, the same in the PyTorch trainer (torch momentum 0.1 is this
 * 0.9: moving = 0.9·moving + 0.1·batch; epsilon 1e-3 in both). Keras' 0.99 leaves the moving
 * statistics near their initial values after the few hundred steps of a small run.
 */
export const BN_MOMENTUM = 0.9;
export const BN_EPSILON = 1e-3;

export interface BaseModelOptions {
  inputShape?: [number, number, number];
  /** Filters of each conv→BN→relu→maxpool block (default [8, 16]). */
  filters?: number[];
  seed?: number;
  /** End in base_flatten (default true; false leaves the last block's rank-4 feature map). */
  flatten?: boolean;
}

/**
 * A small CNN feature extractor: blocks of base_conv{i} → base_bn{i} → base_relu{i} →
 * base_pool{i}, then base_flatten (the demo bases). Initialisers are seeded from `seed`.
 */
export function buildBaseModel(opts: BaseModelOptions = {}): LayersModel {
  const tf = tfjs();
  const seed = opts.seed ?? 0;
  const input = tf.input({ shape: opts.inputShape ?? [28, 28, 1], name: 'base_input' });
  let x: SymbolicTensor = input;
  (opts.filters ?? [8, 16]).forEach((filters, b) => {
    const i = b + 1;
    x = tf.layers
      .conv2d({
        name: `base_conv${i}`,
        filters,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: seedFor(seed, Stream.init, i) }),
      })
      .apply(x) as SymbolicTensor;
    x = tf.layers
      .batchNormalization({ name: `base_bn${i}`, momentum: BN_MOMENTUM, epsilon: BN_EPSILON })
      .apply(x) as SymbolicTensor;
    x = tf.layers
      .activation({ name: `base_relu${i}`, activation: 'relu' })
      .apply(x) as SymbolicTensor;
    x = tf.layers.maxPooling2d({ name: `base_pool${i}`, poolSize: 2 }).apply(x) as SymbolicTensor;
  });
  if (opts.flatten ?? true) {
    x = tf.layers.flatten({ name: 'base_flatten' }).apply(x) as SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x, name: 'base' });
}

export interface HeadOptions {
  units: number;
  dropout: number;
  classes: number;
  seed?: number;
  /** Layer name prefix (default `head`; a multi-task head is `head_<task>`). */
  namePrefix?: string;
}

/** The new classifier: head_dense (relu) → head_dropout → head_out (softmax), seeded. */
export function buildHead(opts: HeadOptions): Layer[] {
  const tf = tfjs();
  const seed = opts.seed ?? 0;
  const prefix = opts.namePrefix ?? 'head';
  const head: Layer[] = [
    tf.layers.dense({
      name: `${prefix}_dense`,
      units: opts.units,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seedFor(seed, Stream.init, 1001) }),
    }),
  ];
  if (opts.dropout > 0) {
    head.push(tf.layers.dropout({ name: `${prefix}_dropout`, rate: opts.dropout }));
  }
  head.push(
    tf.layers.dense({
      name: `${prefix}_out`,
      units: opts.classes,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seedFor(seed, Stream.init, 1002) }),
    }),
  );
  return head;
}

export type HeadPooling = 'gap' | 'flatten';

export interface TransferOptions {
  /** How [0, 255] input pixels become the base's input range (default `unit`: x / 255). */
  preprocessing?: Preprocessing;
  /** Layer to cut the base at (default: the base's output). */
  outputLayer?: string;
  /** How a convolutional (rank-4) base output meets the head (default `gap`). */
  pooling?: HeadPooling;
}

/**
 * One flat functional model: image_input ([0, 255]) → preprocess → the base's layers (nested
 * models expanded, cut at `outputLayer`) → global average pooling (rank-4 features, `gap`) or
 * flatten (other ranks above 2, or `flatten`) → the head.
 */
export function buildTransferModel(
  base: LayersModel,
  head: Layer[],
  opts: TransferOptions = {},
): TransferModel {
  const tf = tfjs();
  const shape = baseImageShape(base, 'base');
  const input = tf.input({ shape, name: 'image_input' });
  const preprocess = preprocessLayer(opts.preprocessing ?? { kind: 'unit' });
  let x = flattenBase(base, preprocess.apply(input) as SymbolicTensor, opts.outputLayer);
  const headLayers: Layer[] = [];
  if (x.shape.length === 4 && (opts.pooling ?? 'gap') === 'gap') {
    headLayers.push(tf.layers.globalAveragePooling2d({ name: 'head_gap' }));
  } else if (x.shape.length > 2) {
    headLayers.push(tf.layers.flatten({ name: 'head_flatten' }));
  }
  headLayers.push(...head);
  for (const layer of headLayers) x = layer.apply(x) as SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: x, name: 'transfer' });
  const notBase = new Set<Layer>([preprocess, ...headLayers]);
  const baseLayers = model.layers.filter(
    (l) => !notBase.has(l) && l.getClassName() !== 'InputLayer',
  );
  return { model, baseLayers, headLayers };
}

// ---------------------------------------------------------------------------------------------
// Saving and loading tfjs LayersModels (file paths without tfjs-node's file:// handler, so the
// same code works on the pure-JS fallback backend; http(s) URLs go through tf.loadLayersModel).

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** `file:///x/model.json`, `/x/model.json`, `x/` (a folder holding model.json) → a path. */
export function resolveModelJsonPath(pathOrUrl: string): string {
  const p = pathOrUrl.startsWith('file://') ? fileURLToPath(pathOrUrl) : resolve(pathOrUrl);
  if (existsSync(p) && statSync(p).isDirectory()) return join(p, 'model.json');
  return p;
}

function concatBuffers(data: io.WeightData): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const b of parts) {
    out.set(new Uint8Array(b), off);
    off += b.byteLength;
  }
  return out;
}

/** Saves a LayersModel as tfjs `model.json` + `weights.bin` in `dir`; returns model.json's path. */
export async function saveModel(model: LayersModel, dir: string): Promise<string> {
  const tf = tfjs();
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, 'model.json');
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = concatBuffers(artifacts.weightData ?? new ArrayBuffer(0));
      writeFileSync(join(dir, 'weights.bin'), weights);
      const json = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(jsonPath, JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return jsonPath;
}

interface ModelJson {
  modelTopology?: object;
  weightsManifest?: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
}

/** Loads a tfjs LayersModel from a model.json path, a folder, a file:// URL or an http(s) URL. */
export async function loadModel(pathOrUrl: string): Promise<LayersModel> {
  const tf = tfjs();
  registerCustomLayers();
  if (isUrl(pathOrUrl)) return loadModelFromUrl(pathOrUrl);
  const jsonPath = resolveModelJsonPath(pathOrUrl);
  if (!existsSync(jsonPath)) throw new Error(`model file not found: ${jsonPath}`);
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelJson;
  } catch (err) {
    throw new Error(`model file ${jsonPath} is not valid JSON: ${(err as Error).message}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(
      `${jsonPath} is not a tfjs LayersModel (needs modelTopology and weightsManifest)`,
    );
  }
  const weightSpecs: io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) {
      const file = resolve(dirname(jsonPath), p);
      if (!existsSync(file))
        throw new Error(`weights file not found: ${file} (listed in ${jsonPath})`);
      buffers.push(readFileSync(file));
    }
  }
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let off = 0;
  for (const b of buffers) {
    weightData.set(b, off);
    off += b.byteLength;
  }
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs,
      weightData: weightData.buffer,
    }),
  );
}

/**
 * A URL is downloaded by the trainer itself under the worker's URL rules and size/time limits
 * (checked at launch too, but a name can resolve elsewhere by now), then loaded from disk.
 */
async function loadModelFromUrl(url: string): Promise<LayersModel> {
  const dir = await mkdtemp(join(tmpdir(), 'retune-base-'));
  try {
    return await loadModel(await downloadModel(url, dir, readDownloadPolicy()));
  } catch (err) {
    if (err instanceof DownloadRefusedError) throw err;
    throw new Error(`cannot load model from ${url}: ${(err as Error).message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Loads a base model and checks that it takes images of `imageShape` ([h, w, c]). */
export async function loadBaseModel(
  pathOrUrl: string,
  imageShape: readonly [number, number, number],
): Promise<LayersModel> {
  return checkBaseInput(await loadModel(pathOrUrl), pathOrUrl, imageShape);
}

/** The [h, w, c] image shape a single-input base model takes (throws for other inputs). */
export function baseImageShape(model: LayersModel, name: string): [number, number, number] {
  const shape = model.inputs.length === 1 ? model.inputs[0]!.shape : [];
  const [, h, w, c] = shape;
  if (shape.length !== 4 || !h || !w || !c) {
    throw new Error(
      `base model ${name} must have one image input [batch, h, w, c] with fixed sizes ` +
        `(has ${model.inputs.map((i) => `[${i.shape.map((d) => d ?? 'batch').join(', ')}]`).join(', ')})`,
    );
  }
  return [h, w, c];
}

/** Checks that `model` takes images of `imageShape` ([h, w, c]); returns it. */
export function checkBaseInput(
  model: LayersModel,
  pathOrUrl: string,
  imageShape: readonly [number, number, number],
): LayersModel {
  if (model.inputs.length !== 1) {
    throw new Error(
      `base model ${pathOrUrl} must have exactly one input (has ${model.inputs.length})`,
    );
  }
  const actual = model.inputs[0]!.shape;
  const expected = [null, ...imageShape];
  const same =
    actual.length === expected.length && actual.every((d, i) => i === 0 || d === expected[i]);
  if (!same) {
    const fmt = (s: readonly (number | null)[]) => `[${s.map((d) => d ?? 'batch').join(', ')}]`;
    throw new Error(
      `base model ${pathOrUrl} has input shape ${fmt(actual)} but the dataset's images need ${fmt(expected)}`,
    );
  }
  return model;
}
