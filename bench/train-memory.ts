/**
 * Where the tfjs trainer's memory goes in one training step of a real network: tensor bytes
 * at the step's peak (tf.profile: what tfjs holds, whatever the allocator does) and the
 * process peak RSS (VmHWM), for feature extraction and full fine-tuning, beside inference on
 * the same batch. Not a test.
 *
 *   npx tsx bench/train-memory.ts [--base imagenet:efficientnet-lite0@224] [--batch 8]
 *       [--freeze full|feature-extraction|partial] [--steps 2]
 */
import { readFileSync } from 'node:fs';
import { scriptArg, scriptNumber } from '@retune/tools/script-args';
import {
  batchPixels,
  indexRange,
  loadBaseSpec,
  loadTf,
  parseParams,
  TransferTrainer,
  type ImageDataset,
} from '@retune/trainer';

const baseName = scriptArg('base', 'imagenet:efficientnet-lite0@224');
const batch = scriptNumber('batch', 8);
const freeze = scriptArg('freeze', 'full');
const steps = scriptNumber('steps', 2);

const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const hwm = () =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
const rss = () => process.memoryUsage().rss;

const { tf } = loadTf();
const base = await loadBaseSpec(baseName, undefined, () => {}, 1);
const [h, w, c] = (base.inputs[0]!.shape as number[]).slice(1);
const ds: ImageDataset = {
  images: Uint8Array.from({ length: batch * h! * w! * c! }, (_, i) => (i * 31) & 0xff),
  labels: Int32Array.from({ length: batch }, (_, i) => i % 5),
  shape: [h!, w!, c!],
  classNames: ['a', 'b', 'c', 'd', 'e'],
};
const { params } = parseParams({ freezeDepth: freeze, batchSize: batch });
const trainer = new TransferTrainer({ base, params, seed: 1, classes: 5 });
console.log(
  `${baseName}, batch ${batch}, freezeDepth ${freeze} (${trainer.frozenCount} frozen), bnMode ${trainer.bnMode}`,
);
console.log(
  `after load: rss ${gib(rss())}, peak ${gib(hwm())}, tensors ${gib(tf.memory().numBytes)}`,
);
const pixels = batchPixels(ds, indexRange(0, batch));
const infer = await tf.profile(() => {
  const y = trainer.model.predict(tf.tensor4d(pixels, [batch, h!, w!, c!])) as never;
  return y;
});
console.log(`inference: peak tensors ${gib(infer.peakBytes)}; rss peak ${gib(hwm())}`);
for (let s = 0; s < steps; s++) {
  const info = await tf.profile(() => {
    const r = trainer.trainStep(pixels, ds.labels, ds.shape, s);
    tf.dispose([r.lossSum, r.correct]);
  });
  console.log(
    `train step ${s}: peak tensors ${gib(info.peakBytes)} (${info.kernels.length} kernels), ` +
      `after ${gib(tf.memory().numBytes)}; rss ${gib(rss())}, peak ${gib(hwm())}`,
  );
}
trainer.dispose();
