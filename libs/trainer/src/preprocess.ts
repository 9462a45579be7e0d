import type { layers, Tensor } from '@tensorflow/tfjs';
import type { Preprocessing } from '@retune/core';
import { tfjs, type Tf } from './backend';

/** Name of the preprocessing layer right after the transfer model's input. */
export const PREPROCESS_LAYER = 'preprocess';

/**
 * Per-channel affine map x·scale + offset that turns [0, 255] pixels into what the base was
 * trained on (the kinds are documented with `preprocessingSchema` in @retune/core).
 */
export function preprocessingAffine(
  p: Preprocessing,
  channels: number,
): { scale: number[]; offset: number[] } {
  const each = (v: number) => new Array<number>(channels).fill(v);
  switch (p.kind) {
    case 'unit':
      return { scale: each(1 / 255), offset: each(0) };
    case 'symmetric':
      return { scale: each(1 / 127.5), offset: each(-1) };
    case 'offset-scale':
      return { scale: each(1 / p.scale), offset: each(-p.offset / p.scale) };
    case 'mean-std': {
      const pick = (arr: number[], name: string, c: number) => {
        if (arr.length !== 1 && arr.length !== channels) {
          throw new Error(
            `preprocessing.${name} has ${arr.length} values but the base takes ${channels} channels (give 1 or ${channels})`,
          );
        }
        return arr.length === 1 ? arr[0]! : arr[c]!;
      };
      const range = Array.from({ length: channels }, (_, c) => c);
      return {
        scale: range.map((c) => 1 / (255 * pick(p.std, 'std', c))),
        offset: range.map((c) => -pick(p.mean, 'mean', c) / pick(p.std, 'std', c)),
      };
    }
  }
}

interface PreprocessArgs {
  name?: string;
  preprocessing: Preprocessing;
}

type PreprocessCtor = new (args: PreprocessArgs) => layers.Layer;
const classes = new WeakMap<Tf, PreprocessCtor>();

/**
 * The serializable `RetunePreprocess` layer class for this tfjs namespace (registered once, so a
 * saved transfer model loads again). Defined lazily because the namespace is chosen at run time.
 */
function preprocessClass(tf: Tf): PreprocessCtor {
  const known = classes.get(tf);
  if (known) return known;
  class RetunePreprocess extends tf.layers.Layer {
    static className = 'RetunePreprocess';
    readonly preprocessing: Preprocessing;
    constructor(args: PreprocessArgs) {
      super({ name: args.name });
      this.preprocessing = args.preprocessing;
    }
    override computeOutputShape(shape: Parameters<layers.Layer['computeOutputShape']>[0]) {
      return shape;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const channels = x.shape[x.shape.length - 1] ?? 1;
      const { scale, offset } = preprocessingAffine(this.preprocessing, channels);
      return tf.tidy(() => tf.add(tf.mul(tf.cast(x, 'float32'), scale), offset));
    }
    override getConfig() {
      return { ...super.getConfig(), preprocessing: { ...this.preprocessing } };
    }
  }
  tf.serialization.registerClass(RetunePreprocess);
  classes.set(tf, RetunePreprocess);
  return RetunePreprocess;
}

/** Registers Retune's custom layers; call before loading a model that may contain them. */
export function registerCustomLayers(): void {
  preprocessClass(tfjs());
}

/** A layer mapping [0, 255] images to the base's expected input range. */
export function preprocessLayer(preprocessing: Preprocessing): layers.Layer {
  const Ctor = preprocessClass(tfjs());
  return new Ctor({ name: PREPROCESS_LAYER, preprocessing });
}
