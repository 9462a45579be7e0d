import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { tfjs } from '../backend';
import { flattenBase } from '../flatten';
import { freezeUnits } from '../freeze';
import {
  baseImageShape,
  buildHead,
  type Layer,
  type TransferModel,
  type TransferOptions,
} from '../model';
import { preprocessLayer } from '../preprocess';
import { seedFor, Stream } from '../rng';

/**
 * One base, several tasks (docs/multitask.md): the first `shareDepth` freeze units of the base
 * (and the weightless layers up to the next unit) form the shared trunk; every later base layer
 * is a per-task tower (the first task keeps the base's own layer objects, the others get copies
 * named `<layer>__<task>` holding the same pretrained weights); each tower ends in its own head
 * (`head_<task>_…`). The model has one softmax output per task, in task order.
 */
export interface MultiTaskModel extends TransferModel {
  tasks: string[];
  /** Shared base layers, from the input side. */
  shared: Layer[];
  /** Per task, its tower's base layers (empty when the whole base is shared). */
  towers: Layer[][];
  /** Per task, its path as a single-task view: shared + its tower, and its head. */
  paths: TransferModel[];
  /** Freeze units along one path (= the base's layers with weights). */
  unitCount: number;
}

export interface TaskHead {
  task: string;
  classes: number;
}

export interface MultiTaskModelOptions extends TransferOptions {
  heads: TaskHead[];
  /** Shared freeze units; undefined = all. */
  shareDepth: number | undefined;
  units: number;
  dropout: number;
  seed: number;
}

/** The graph bookkeeping of a functional model (public fields of its Container). */
interface GraphNode {
  outboundLayer: Layer;
  inputTensors: SymbolicTensor[];
  outputTensors: SymbolicTensor[];
  callArgs?: Record<string, unknown>;
}

/** A fresh layer of the same class and config under another name (weights copied after build). */
function cloneLayer(layer: Layer, name: string): Layer {
  const Cls = layer.constructor as unknown as new (config: object) => Layer;
  return new Cls({ ...layer.getConfig(), name });
}

/**
 * Re-applies the tower layers of `trunk` (those in `tower`, in topological order) as copies for
 * `task`: inputs from shared layers are the shared tensors themselves. Returns the copies and
 * the new output.
 */
function copyTower(trunk: LayersModel, tower: Set<Layer>, task: string) {
  const graph = trunk as unknown as { nodesByDepth: Record<string, GraphNode[]> };
  const mapped = new Map<SymbolicTensor, SymbolicTensor>();
  const copies: Layer[] = [];
  const depths = Object.keys(graph.nodesByDepth)
    .map(Number)
    .sort((a, b) => b - a);
  for (const depth of depths) {
    for (const node of graph.nodesByDepth[String(depth)]!) {
      const layer = node.outboundLayer;
      if (!tower.has(layer)) continue;
      const ins = node.inputTensors.map((t) => mapped.get(t) ?? t);
      const copy = cloneLayer(layer, `${layer.name}__${task}`);
      const r = copy.apply(ins.length === 1 ? ins[0]! : ins, node.callArgs ?? {});
      const outs = (Array.isArray(r) ? r : [r]) as SymbolicTensor[];
      copy.setWeights(layer.getWeights());
      node.outputTensors.forEach((t, i) => mapped.set(t, outs[i]!));
      copies.push(copy);
    }
  }
  const out = mapped.get(trunk.outputs[0]!);
  if (!out) throw new Error(`tower of task ${task} does not reach the base's output`);
  return { copies, out };
}

/** Head layers of one task on `x`: pooling of a rank-4 output, then dense → dropout → softmax. */
function taskHead(x: SymbolicTensor, h: TaskHead, i: number, opts: MultiTaskModelOptions) {
  const tf = tfjs();
  const prefix = `head_${h.task}`;
  const layers: Layer[] = [];
  if (x.shape.length === 4 && (opts.pooling ?? 'gap') === 'gap') {
    layers.push(tf.layers.globalAveragePooling2d({ name: `${prefix}_gap` }));
  } else if (x.shape.length > 2) {
    layers.push(tf.layers.flatten({ name: `${prefix}_flatten` }));
  }
  // The first head is seeded as a single-task head is; the others from their own streams.
  const seed = i === 0 ? opts.seed : seedFor(opts.seed, Stream.init, 3000 + i);
  layers.push(
    ...buildHead({
      units: opts.units,
      dropout: opts.dropout,
      classes: h.classes,
      seed,
      namePrefix: prefix,
    }),
  );
  let out = x;
  for (const l of layers) out = l.apply(out) as SymbolicTensor;
  return { layers, out };
}

/** The multi-task network on `base`: shared trunk, per-task towers and heads. */
export function buildMultiTaskModel(
  base: LayersModel,
  opts: MultiTaskModelOptions,
): MultiTaskModel {
  const tf = tfjs();
  const input = tf.input({ shape: baseImageShape(base, 'base'), name: 'image_input' });
  const preprocess = preprocessLayer(opts.preprocessing ?? { kind: 'unit' });
  const x = flattenBase(base, preprocess.apply(input) as SymbolicTensor, opts.outputLayer);
  const trunk = tf.model({ inputs: input, outputs: x, name: 'trunk' });
  const baseLayers = trunk.layers.filter(
    (l) => l !== preprocess && l.getClassName() !== 'InputLayer',
  );
  const units = freezeUnits(baseLayers);
  const depth = opts.shareDepth ?? units.length;
  if (!Number.isInteger(depth) || depth < 0 || depth > units.length) {
    throw new Error(
      `params.shareDepth: ${depth} is outside 0..${units.length} (the base has ${units.length} layers with weights): share at most all of them`,
    );
  }
  const split = depth === units.length ? baseLayers.length : baseLayers.indexOf(units[depth]!);
  const shared = baseLayers.slice(0, split);
  const tower = baseLayers.slice(split);
  const towers: Layer[][] = [];
  const heads: Layer[][] = [];
  const outputs: SymbolicTensor[] = [];
  opts.heads.forEach((h, i) => {
    const t =
      i === 0 || tower.length === 0
        ? { copies: tower, out: x }
        : copyTower(trunk, new Set(tower), h.task);
    const head = taskHead(t.out, h, i, opts);
    towers.push(t.copies);
    heads.push(head.layers);
    outputs.push(head.out);
  });
  const model = tf.model({ inputs: input, outputs, name: 'multitask' });
  return {
    model,
    baseLayers: [...shared, ...towers.flat()],
    headLayers: heads.flat(),
    tasks: opts.heads.map((h) => h.task),
    shared,
    towers,
    paths: towers.map((t, i) => ({ model, baseLayers: [...shared, ...t], headLayers: heads[i]! })),
    unitCount: units.length,
  };
}
