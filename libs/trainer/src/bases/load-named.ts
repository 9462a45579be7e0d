import type { BaseModelMeta } from '@retune/core';
import type { LayersModel } from '@tensorflow/tfjs';
import { readEnv } from '../env';
import { loadModel } from '../model';
import { cutBase } from './cut';
import { withInputSize } from './input-size';
import { ensureNamedBase, NAMED_BASES, parseNamedBase } from './registry';

/**
 * A named base (`imagenet:efficientnet-lite0`, optionally `@128` for 128×128 inputs), converted
 * into RETUNE_MODEL_CACHE (default .data/models) at its first use; undefined for other specs.
 */
export async function loadNamedBase(
  spec: string,
  log: (msg: string) => void,
): Promise<{ model: LayersModel; meta: BaseModelMeta } | undefined> {
  const named = parseNamedBase(spec);
  if (!named) {
    // `imagenet:resnet` looks like a name, not a path: say which names exist.
    if (/^(imagenet|imagenet-ft):/.test(spec)) {
      throw new Error(
        `unknown base model ${spec} (known: ${Object.keys(NAMED_BASES).join(', ')}, optionally @<size>)`,
      );
    }
    return undefined;
  }
  const cacheDir = readEnv().modelCacheDir ?? '.data/models';
  const files = await ensureNamedBase(named.name, cacheDir, log);
  const model = await loadModel(files.modelPath);
  return {
    model: named.inputSize ? await withInputSize(model, named.inputSize) : model,
    meta: files.meta,
  };
}

/** A base given by name or by model.json location, cut at `cutLayer` when one is given. */
export async function loadBaseSpec(
  spec: string,
  cutLayer: string | undefined,
  log: (msg: string) => void,
): Promise<LayersModel> {
  const model = (await loadNamedBase(spec, log))?.model ?? (await loadModel(spec));
  return cutBase(model, cutLayer, spec);
}
