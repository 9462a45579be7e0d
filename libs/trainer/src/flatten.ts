import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { Layer } from './model';

/** The graph bookkeeping of a tfjs functional model (public fields of its Container). */
interface Graph {
  name: string;
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  nodesByDepth: Record<string, GraphNode[]>;
}
interface GraphNode {
  outboundLayer: Layer;
  inputTensors: SymbolicTensor[];
  outputTensors: SymbolicTensor[];
  callArgs?: Record<string, unknown>;
}

/** A layer that is itself a model (`x = base(inputs)` in a Keras export), as a graph. */
function asGraph(layer: unknown): Graph | undefined {
  const l = layer as Partial<Graph> & {
    model?: unknown;
    build?: () => void;
    getClassName?: () => string;
  };
  // tfjs Sequential keeps its graph in an inner LayersModel, built on first use.
  if (l.getClassName?.() === 'Sequential') {
    if (!l.model) l.build?.();
    return l.model ? asGraph(l.model) : undefined;
  }
  if (l.nodesByDepth && Array.isArray(l.inputs) && Array.isArray(l.outputs)) return l as Graph;
  return undefined;
}

/**
 * Applies the layers of `graph` to `inputs` again, node by node in topological order, and
 * expands every nested model into its inner layers, so the result is one flat graph whose
 * layers are the base's own layer objects (same weights). Records each layer's new outputs in
 * `byName` (for a cut at an inner layer). Returns the new outputs of `graph`.
 */
function replay(
  graph: Graph,
  inputs: SymbolicTensor[],
  byName: Map<string, SymbolicTensor[]>,
): SymbolicTensor[] {
  const mapped = new Map<SymbolicTensor, SymbolicTensor>();
  graph.inputs.forEach((t, i) => mapped.set(t, inputs[i]!));
  const depths = Object.keys(graph.nodesByDepth)
    .map(Number)
    .sort((a, b) => b - a); // the deepest nodes are the inputs
  for (const depth of depths) {
    for (const node of graph.nodesByDepth[String(depth)]!) {
      const layer = node.outboundLayer;
      if (layer.getClassName() === 'InputLayer') continue;
      const ins = node.inputTensors.map((t) => {
        const m = mapped.get(t);
        if (!m) throw new Error(`base ${graph.name}: layer ${layer.name} has an unknown input`);
        return m;
      });
      const inner = asGraph(layer);
      let outs: SymbolicTensor[];
      if (inner) {
        outs = replay(inner, ins, byName);
      } else {
        const r = layer.apply(ins.length === 1 ? ins[0]! : ins, node.callArgs ?? {});
        outs = (Array.isArray(r) ? r : [r]) as SymbolicTensor[];
      }
      node.outputTensors.forEach((t, i) => mapped.set(t, outs[i]!));
      byName.set(layer.name, outs);
    }
  }
  return graph.outputs.map((t) => mapped.get(t)!);
}

/**
 * Re-applies `base` to `input` as a flat graph (nested models expanded, so freezing and
 * BatchNorm handling see every inner layer) and returns the output of `outputLayer` (the cut
 * point, which may be an inner layer) or of the base itself.
 */
export function flattenBase(
  base: LayersModel,
  input: SymbolicTensor,
  outputLayer?: string,
): SymbolicTensor {
  const graph = asGraph(base);
  if (!graph || graph.inputs.length !== 1 || graph.outputs.length !== 1) {
    throw new Error(
      `base model must have one input and one output (has ${base.inputs.length} and ${base.outputs.length})`,
    );
  }
  const byName = new Map<string, SymbolicTensor[]>();
  const [out] = replay(graph, [input], byName);
  if (outputLayer === undefined) return out!;
  const cut = byName.get(outputLayer);
  if (!cut || cut.length !== 1) {
    throw new Error(
      `base model has no layer "${outputLayer}" with one output to cut at (baseModelMeta.outputLayer; layers: ${[...byName.keys()].join(', ')})`,
    );
  }
  return cut[0]!;
}
