import type { BaseModelMeta } from '@retune/core';
import type { LayersModel } from '@tensorflow/tfjs';
import { readEnv } from '../env';
import { loadModel } from '../model';
import { cutBase } from './cut';
import { withInputSize } from './input-size';
import { ensureNamedBase, NAMED_BASES, parseNamedBase } from './registry';
import { untrainedCopy } from './untrained';

/**
 * A named base (`imagenet:efficientnet-lite0`, optionally `@128` for 128×128 inputs), converted
 * into RETUNE_MODEL_CACHE (default .data/models) at its first use; undefined for other specs.
 * `scratch:efficientnet-lite0` is the same network re-initialised from `seed`.
 */
export async function loadNamedBase(
  spec: string,
  log: (msg: string) => void,
  seed = 0,
): Promise<{ model: LayersModel; meta: BaseModelMeta } | undefined> {
  const named = parseNamedBase(spec);
  if (!named) {
    // `imagenet:resnet` looks like a name, not a path: say which names exist.
    if (/^(imagenet|imagenet-ft|scratch):/.test(spec)) {
      throw new Error(
        `unknown base model ${spec} (known: ${Object.keys(NAMED_BASES).join(', ')}, ` +
          `optionally @<size>; scratch:<name without prefix> for untrained weights)`,
      );
    }
    return undefined;
  }
  const cacheDir = readEnv().modelCacheDir ?? '.data/models';
  const files = await ensureNamedBase(named.name, cacheDir, log);
  const loaded = await loadModel(files.modelPath);
  const model = named.inputSize ? await withInputSize(loaded, named.inputSize) : loaded;
  return {
    model: named.untrained ? await untrainedCopy(model, seed) : model,
    meta: files.meta,
  };
}

/**
 * A base given by name or by model.json location, cut at `cutLayer` when one is given; `seed`
 * initialises a `scratch:` base.
 */
export async function loadBaseSpec(
  spec: string,
  cutLayer: string | undefined,
  log: (msg: string) => void,
  seed = 0,
): Promise<LayersModel> {
  const model = (await loadNamedBase(spec, log, seed))?.model ?? (await loadModel(spec));
  return cutBase(model, cutLayer, spec);
}
