type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;

export type InputShape = (number | null)[];

/**
 * The input shapes ([batch, …]) a tfjs LayersModel declares in its model.json, read from the
 * topology alone, so checking a base needs no TensorFlow.js. Throws when the file is no
 * LayersModel topology.
 */
export function modelJsonInputShapes(modelJson: unknown): InputShape[] {
  const topology = obj(obj(modelJson)?.modelTopology);
  const model = obj(topology?.model_config) ?? topology;
  const config = obj(model?.config);
  const layers = Array.isArray(config?.layers) ? config.layers.map(obj) : undefined;
  if (!model || !layers) throw new Error('it has no modelTopology with layers (not a LayersModel)');
  const shapeOf = (layer: Json | undefined): InputShape => {
    const c = obj(layer?.config);
    const shape = c?.batch_input_shape ?? c?.batch_shape;
    if (!Array.isArray(shape)) throw new Error(`layer ${String(c?.name)} declares no input shape`);
    return shape.map((d) => (typeof d === 'number' ? d : null));
  };
  if (model.class_name === 'Sequential') return [shapeOf(layers[0])];
  const inputs = Array.isArray(config?.input_layers) ? (config.input_layers as unknown[][]) : [];
  if (inputs.length === 0) throw new Error('it lists no input_layers');
  return inputs.map(([name]) => shapeOf(layers.find((l) => l?.name === name)));
}

const fmt = (s: InputShape) => `[${s.map((d) => d ?? 'batch').join(', ')}]`;

/**
 * Why a base with these inputs cannot take images, or undefined when it can: the trainer needs
 * one [batch, h, w, c] input with fixed sizes and 1 (grey) or 3 (RGB) channels.
 */
export function imageInputProblem(shapes: InputShape[]): string | undefined {
  if (shapes.length !== 1) return `it has ${shapes.length} inputs; a base takes one image input`;
  const [shape] = shapes as [InputShape];
  const [, h, w, c] = shape;
  if (shape.length !== 4 || !h || !w || !c) {
    return `its input ${fmt(shape)} is not an image [batch, height, width, channels] with fixed sizes`;
  }
  if (c !== 1 && c !== 3) return `its input ${fmt(shape)} has ${c} channels; images have 1 or 3`;
  return undefined;
}
