// Runs a named base on saved inputs, for comparisons with other implementations (the PyTorch
// trainer's test that the converted EfficientNet-Lite0 reproduces the PyTorch network):
//
//   npx tsx tools/bases/forward.ts <name[@size]> <inputs.f32> <n> <outputs.f32>
//
// inputs.f32: n images as little-endian float32 in NHWC order, already preprocessed (the bases
// take preprocessed pixels; trainers add the preprocessing to the graph). outputs.f32: the
// feature maps, NHWC, float32; their shape is printed as JSON on stdout.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Tensor } from '@tensorflow/tfjs';
import { loadNamedBase, loadTf } from '@retune/trainer';

const [spec, inputPath, count, outputPath] = process.argv.slice(2);
if (!spec || !inputPath || !count || !outputPath) {
  throw new Error('usage: forward.ts <name[@size]> <inputs.f32> <n> <outputs.f32>');
}
const { tf } = loadTf();
const loaded = await loadNamedBase(spec, (msg) => console.error(msg));
if (!loaded) throw new Error(`${spec} is not a named base`);
const [, h, w, c] = loaded.model.inputs[0]!.shape as number[];
const bytes = readFileSync(inputPath);
const x = tf.tensor4d(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4), [
  Number(count),
  h!,
  w!,
  c!,
]);
const y = loaded.model.predict(x) as Tensor;
writeFileSync(outputPath, Buffer.from((y.dataSync() as Float32Array).buffer));
console.log(JSON.stringify({ shape: y.shape, backend: tf.getBackend() }));
