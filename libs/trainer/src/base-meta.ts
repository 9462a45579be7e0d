import { dirname } from 'node:path';
import type { BaseModelMeta, Preprocessing } from '@retune/core';
import { BASE_META_FILE, namedBaseMeta, readBaseMeta } from './bases/registry';
import { resolveModelJsonPath } from './model';

/** What the trainer takes from a base's metadata, and where it came from. */
export interface ResolvedBaseMeta {
  preprocessing: Preprocessing;
  outputLayer: string | undefined;
  source: 'input' | 'named base' | typeof BASE_META_FILE | 'default';
}

/** `retune-base.json` beside a local base's model.json, validated; undefined when absent. */
export function readBaseMetaFile(baseModel: string): BaseModelMeta | undefined {
  if (/^https?:\/\//i.test(baseModel) || baseModel.startsWith('demo:')) return undefined;
  return readBaseMeta(dirname(resolveModelJsonPath(baseModel)));
}

/**
 * The base's metadata, first found of: the trainer input's `baseModelMeta`, a named base's
 * built-in metadata (`imagenet:…`), `retune-base.json` beside the base's model.json, the default (pixels scaled to [0, 1], the model's own output:
 * what Retune's demo bases were trained with). Checks it against the base's image shape.
 */
export function resolveBaseMeta(
  fromInput: BaseModelMeta | undefined,
  baseModel: string,
  imageShape: readonly [number, number, number],
): ResolvedBaseMeta {
  const fromName = fromInput ? undefined : namedBaseMeta(baseModel);
  const fromFile = (fromInput ?? fromName) ? undefined : readBaseMetaFile(baseModel);
  const meta = fromInput ?? fromName ?? fromFile;
  if (!meta) return { preprocessing: { kind: 'unit' }, outputLayer: undefined, source: 'default' };
  const source = fromInput ? 'input' : fromName ? 'named base' : BASE_META_FILE;
  const where = fromInput
    ? 'baseModelMeta'
    : fromName
      ? `the metadata of ${baseModel}`
      : `${BASE_META_FILE} of ${baseModel}`;
  const [h, w, c] = imageShape;
  if (meta.inputSize[0] !== h || meta.inputSize[1] !== w || meta.channels !== c) {
    throw new Error(
      `${where} says inputSize [${meta.inputSize.join(', ')}] and ${meta.channels} channels, ` +
        `but base model ${baseModel} takes [${h}, ${w}, ${c}]; correct the metadata`,
    );
  }
  if (meta.classifierTop && !meta.outputLayer) {
    throw new Error(
      `${where}: classifierTop is true but no outputLayer names the layer to cut the classifier at`,
    );
  }
  return {
    preprocessing: meta.preprocessing,
    outputLayer: meta.outputLayer,
    source,
  };
}
