// Tiny-CNN training throughput: tfjs-node native backend vs pure-JS `cpu` backend,
// same model, same process.
// Usage: node tools/tfjs-native/bench.mjs [nativeSamples=4096] [cpuSamples=256]
//        (TFJS_NODE=<dir of @tensorflow/tfjs-node> to use a package elsewhere)
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tf = require(process.env.TFJS_NODE || '@tensorflow/tfjs-node');

function model() {
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu' }),
  );
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return m;
}

async function run(backend, n, epochs) {
  await tf.setBackend(backend);
  await tf.ready();
  const x = tf.randomNormal([n, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([n], 0, 10, 'int32'), 10);
  const m = model();
  const t = [];
  await m.fit(x, y, {
    batchSize: 64,
    epochs,
    verbose: 0,
    callbacks: {
      onEpochBegin: () => {
        t.push(process.hrtime.bigint());
      },
      onEpochEnd: (e, logs) => {
        const dt = Number(process.hrtime.bigint() - t[e]) / 1e9;
        console.log(
          `${backend.padEnd(10)} epoch ${e + 1}: ${dt.toFixed(2)} s, ${(n / dt).toFixed(0)} images/s, loss ${logs.loss.toFixed(4)}`,
        );
      },
    },
  });
  tf.dispose([x, y]);
  m.dispose();
}

const b = tf.backend();
console.log(
  `default backend: ${tf.getBackend()}${b.binding ? ` (TensorFlow ${b.binding.TF_Version})` : ''}`,
);
const nNative = Number(process.argv[2] ?? 4096);
const nCpu = Number(process.argv[3] ?? 256);
if (nNative > 0) await run('tensorflow', nNative, 3);
if (nCpu > 0) await run('cpu', nCpu, 2);
