import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { baseModelMetaSchema, type BaseModelMeta, type Preprocessing } from '@retune/core';
import { resolveModelJsonPath } from './model';

/** Metadata file written beside a converted base's model.json. */
export const BASE_META_FILE = 'retune-base.json';

/** What the trainer takes from a base's metadata, and where it came from. */
export interface ResolvedBaseMeta {
  preprocessing: Preprocessing;
  outputLayer: string | undefined;
  source: 'input' | typeof BASE_META_FILE | 'default';
}

/** `retune-base.json` beside a local base's model.json, validated; undefined when absent. */
export function readBaseMetaFile(baseModel: string): BaseModelMeta | undefined {
  if (/^https?:\/\//i.test(baseModel) || baseModel.startsWith('demo:')) return undefined;
  const file = join(dirname(resolveModelJsonPath(baseModel)), BASE_META_FILE);
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = baseModelMetaSchema.safeParse(raw);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${file} is not valid base metadata (${why}); fix or delete it`);
  }
  return parsed.data;
}

/**
 * The base's metadata, first found of: the trainer input's `baseModelMeta`, `retune-base.json`
 * beside the base's model.json, the default (pixels scaled to [0, 1], the model's own output:
 * what Retune's demo bases were trained with). Checks it against the base's image shape.
 */
export function resolveBaseMeta(
  fromInput: BaseModelMeta | undefined,
  baseModel: string,
  imageShape: readonly [number, number, number],
): ResolvedBaseMeta {
  const fromFile = fromInput ? undefined : readBaseMetaFile(baseModel);
  const meta = fromInput ?? fromFile;
  if (!meta) return { preprocessing: { kind: 'unit' }, outputLayer: undefined, source: 'default' };
  const where = fromInput ? 'baseModelMeta' : `${BASE_META_FILE} of ${baseModel}`;
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
    source: fromInput ? 'input' : BASE_META_FILE,
  };
}
