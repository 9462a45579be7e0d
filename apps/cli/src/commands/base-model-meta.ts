import { baseModelMetaSchema, type BaseModelMeta, type Preprocessing } from '@retune/core';
import { CliError } from '../errors';

/** `base-model register` options that describe how the model wants its input. */
export interface MetaOptions {
  inputSize?: string;
  channels?: string;
  preprocessing?: string;
  outputLayer?: string;
}

const numbers = (s: string, what: string): number[] =>
  s.split(',').map((x) => {
    const n = Number(x);
    if (x.trim() === '' || !Number.isFinite(n))
      throw new CliError(`${what}: "${x}" is not a number`, 2);
    return n;
  });

/**
 * `unit` ([0, 1]), `symmetric` ([-1, 1]), `offset-scale:127,128` ((x - 127) / 128) or
 * `mean-std:0.485,0.456,0.406/0.229,0.224,0.225` ((x / 255 - mean) / std).
 */
export function parsePreprocessing(s: string): Preprocessing {
  const [kind, args = ''] = s.split(':', 2) as [string, string?];
  const usage =
    '--preprocessing: use unit, symmetric, offset-scale:<offset>,<scale> or mean-std:<means>/<stds>';
  if ((kind === 'unit' || kind === 'symmetric') && !args) return { kind };
  if (kind === 'offset-scale') {
    const [offset, scale, ...rest] = numbers(args, '--preprocessing offset-scale');
    if (offset === undefined || scale === undefined || rest.length || scale <= 0) {
      throw new CliError(`${usage} (offset-scale needs an offset and a positive scale)`, 2);
    }
    return { kind, offset, scale };
  }
  if (kind === 'mean-std') {
    const [m, sd, ...rest] = args.split('/');
    if (!m || !sd || rest.length) throw new CliError(usage, 2);
    const mean = numbers(m, '--preprocessing mean');
    const std = numbers(sd, '--preprocessing std');
    if (mean.length !== std.length) {
      throw new CliError('--preprocessing mean-std: as many means as stds, one per channel', 2);
    }
    return { kind, mean, std };
  }
  throw new CliError(usage, 2);
}

/** `224` or `224x160` (height × width). */
export function parseInputSize(s: string): [number, number] {
  const m = /^(\d+)(?:x(\d+))?$/.exec(s.trim());
  if (!m) throw new CliError(`--input-size: use <size> or <height>x<width>, got "${s}"`, 2);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

interface LayerJson {
  name?: string;
  class_name?: string;
  config?: { name?: string; activation?: string };
}

/** The layers of a tfjs/Keras model.json topology, in order (empty when it has none). */
export function layersOf(modelJson: unknown): LayerJson[] {
  const topology = (modelJson as { modelTopology?: Record<string, unknown> })?.modelTopology;
  const config = (topology?.['model_config'] ?? topology) as { config?: { layers?: unknown } };
  const layers = config?.config?.layers;
  return Array.isArray(layers) ? (layers as LayerJson[]) : [];
}

const layerName = (l: LayerJson) => l.name ?? l.config?.name ?? '?';
const HEAD_CLASSES = new Set([
  'Dense',
  'Dropout',
  'Flatten',
  'Softmax',
  'Activation',
  'GlobalAveragePooling2D',
  'AveragePooling2D',
  'GlobalMaxPooling2D',
  'Reshape',
]);

const endsInSoftmax = (layers: LayerJson[]) => {
  const last = layers.at(-1);
  return Boolean(last && (last.class_name === 'Softmax' || last.config?.activation === 'softmax'));
};

/** When the model ends in softmax: a warning naming the layer before its classifier. */
export function softmaxWarning(
  layers: LayerJson[],
  outputLayer: string | undefined,
): string | null {
  const last = layers.at(-1);
  if (!last || !endsInSoftmax(layers) || outputLayer) return null;
  let i = layers.length - 1;
  while (i > 0 && HEAD_CLASSES.has(layers[i]!.class_name ?? '')) i--;
  return (
    `the model ends in softmax (layer ${layerName(last)}): it is a classifier, and a head on ` +
    `its class probabilities learns little. Cut it with --output-layer ${layerName(layers[i]!)} ` +
    `(or set the trial param baseOutputLayer).`
  );
}

/**
 * The metadata to store for a registered model: undefined when no option says anything (the
 * trainers then assume [0, 1] inputs, as before); otherwise complete, with the input size and
 * channels taken from the model's input shape unless given.
 */
export function metaFromOptions(
  opts: MetaOptions,
  inputShape: (number | null)[],
  layers: LayerJson[],
): BaseModelMeta | undefined {
  if (!opts.inputSize && !opts.channels && !opts.preprocessing && !opts.outputLayer)
    return undefined;
  const [, h, w, c] = inputShape;
  const inputSize = opts.inputSize ? parseInputSize(opts.inputSize) : [h, w];
  const channels = opts.channels ? Number(opts.channels) : c;
  if (opts.outputLayer && layers.length && !layers.some((l) => layerName(l) === opts.outputLayer)) {
    const names = layers.slice(-6).map(layerName).join(', ');
    throw new CliError(
      `--output-layer ${opts.outputLayer}: no such layer (last layers: ${names})`,
      2,
    );
  }
  const parsed = baseModelMetaSchema.safeParse({
    inputSize,
    channels,
    preprocessing: parsePreprocessing(opts.preprocessing ?? 'unit'),
    ...(opts.outputLayer ? { outputLayer: opts.outputLayer } : {}),
    classifierTop: endsInSoftmax(layers),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = issue.path[0] === 'channels' ? '--channels (1 or 3)' : '--input-size';
    throw new CliError(`${flag}: ${issue.message}`, 2);
  }
  return parsed.data;
}

/** One line for `base-model list`: preprocessing, and the cut layer when there is one. */
export function describeMeta(meta: BaseModelMeta): string {
  const p = meta.preprocessing;
  const pre =
    p.kind === 'unit'
      ? '[0,1]'
      : p.kind === 'symmetric'
        ? '[-1,1]'
        : p.kind === 'offset-scale'
          ? `(x-${p.offset})/${p.scale}`
          : `mean ${p.mean.join(',')} std ${p.std.join(',')}`;
  return meta.outputLayer ? `${pre}, cut at ${meta.outputLayer}` : pre;
}
