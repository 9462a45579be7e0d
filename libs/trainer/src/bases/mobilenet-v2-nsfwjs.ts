import { runInNewContext } from 'node:vm';
import type { io, LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { tfjs } from '../backend';
import { ensurePinnedTarball, type PinnedTarball } from './npm-tarball';
import { readTgz } from './tar';

/** npm nsfwjs 4.4.0 (MIT), 25 MB: fetched at first use rather than installed for everyone. */
export const NSFWJS_TARBALL: PinnedTarball = {
  spec: 'nsfwjs@4.4.0',
  file: 'nsfwjs-4.4.0.tgz',
  integrity:
    'sha512-krC1fgeTLXtZwgdpKJ0jm7hqv0gTSRQQRL+FhOaxaJ9Wj92t42BO3csO2odwgTAgZgf2RvkwPtp0R8Aa7dc+MA==',
};
const DIR = 'package/dist/models/mobilenet_v2/';
export const NSFWJS_CUT_LAYER = 'out_relu';

/**
 * The data a UMD bundle assigns to `module.exports`, evaluated in an empty context (no
 * `require`, no globals): nsfwjs ships its model.json and base64 weights as such bundles. The
 * value goes through JSON, which keeps only data and brings it into this realm (tfjs iterates
 * arrays with this realm's Symbol.iterator checks).
 */
export function umdExports(code: string, file: string): unknown {
  const module = { exports: {} as unknown };
  runInNewContext(code, { module, exports: module.exports }, { filename: file, timeout: 10_000 });
  return JSON.parse(JSON.stringify(module.exports)) as unknown;
}

interface ModelJs {
  modelTopology: object;
  weightsManifest: { weights: io.WeightsManifestEntry[] }[];
}

/** The Keras MobileNetV2 of nsfwjs (uint8-quantized weights, dequantized) cut at `out_relu`. */
export async function convertMobileNetV2Nsfwjs(
  downloadDir: string,
  log: (msg: string) => void,
): Promise<LayersModel> {
  const tf = tfjs();
  const tgz = ensurePinnedTarball(NSFWJS_TARBALL, downloadDir, log);
  const files = readTgz(tgz, (n) => n.startsWith(DIR));
  const read = (name: string) => {
    const f = files.get(DIR + name);
    if (!f) throw new Error(`${NSFWJS_TARBALL.spec} has no ${DIR}${name}`);
    return f.toString('utf8');
  };
  const json = umdExports(read('model.min.js'), 'model.min.js') as ModelJs;
  const weights = Buffer.from(
    umdExports(read('group1-shard1of1.min.js'), 'group1-shard1of1.min.js') as string,
    'base64',
  );
  const full = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length),
    }),
    { strict: false },
  );
  const base = tf.model({
    inputs: full.inputs,
    outputs: full.getLayer(NSFWJS_CUT_LAYER).output as SymbolicTensor,
    name: 'mobilenet_v2',
  });
  return base;
}
