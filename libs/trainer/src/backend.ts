import { createRequire } from 'node:module';
import { quietTensorflowLogs, readEnv } from './env';
import { useFusedGradients } from './native-grads';

/** The tfjs namespace (the native package re-exports all of `@tensorflow/tfjs`). */
export type Tf = typeof import('@tensorflow/tfjs');

export interface LoadedTf {
  tf: Tf;
  /** `tensorflow` (native libtensorflow) or `cpu` (pure JS, ~250× slower). */
  backend: string;
  /** The npm package that provides it. */
  pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node' | '@tensorflow/tfjs';
  /** Set when the native backend could not be used: why, for a protocol `warn` log line. */
  fallbackReason?: string;
}

const require = createRequire(import.meta.url);
let loaded: LoadedTf | undefined;

function loadNative(gpu: boolean): LoadedTf {
  quietTensorflowLogs();
  if (gpu) {
    // tfjs-node-gpu (CUDA libtensorflow) when it is installed and loads; else the CPU build.
    try {
      const tf = require('@tensorflow/tfjs-node-gpu') as Tf;
      if (tf.getBackend() === 'tensorflow')
        return { tf, backend: 'tensorflow', pkg: '@tensorflow/tfjs-node-gpu' };
    } catch (err) {
      process.stderr.write(
        `@retune/trainer: a GPU is visible but @tensorflow/tfjs-node-gpu is not usable (${
          err instanceof Error ? err.message.split('\n')[0] : String(err)
        }); training on the CPU build of TensorFlow (npm run setup:gpu adds the GPU build)\n`,
      );
    }
  }
  const tf = require('@tensorflow/tfjs-node') as Tf;
  const backend = tf.getBackend();
  if (backend !== 'tensorflow') {
    throw new Error(`@tensorflow/tfjs-node loaded but the active backend is "${backend}"`);
  }
  return { tf, backend, pkg: '@tensorflow/tfjs-node' };
}

function loadCpu(reason: string): LoadedTf {
  const tf = require('@tensorflow/tfjs') as Tf;
  // setBackend is async in general but the cpu backend registers synchronously.
  void tf.setBackend('cpu');
  const banner = '!'.repeat(78);
  process.stderr.write(
    `${banner}\n` +
      `WARNING: @retune/trainer is running on the pure-JS "cpu" backend (about 250x slower).\n` +
      `Native @tensorflow/tfjs-node could not be used: ${reason}\n` +
      `Fix: node tools/tfjs-native/install.mjs (see tools/tfjs-native/README.md)\n` +
      `${banner}\n`,
  );
  return { tf, backend: tf.getBackend(), pkg: '@tensorflow/tfjs', fallbackReason: reason };
}

/**
 * Loads TensorFlow.js once per process: `@tensorflow/tfjs-node-gpu` when a GPU is visible and
 * that package loads, else the native `@tensorflow/tfjs-node` backend, otherwise
 * `@tensorflow/tfjs` on the `cpu` backend with a loud warning on stderr.
 * Callers that speak the trainer protocol must also emit `fallbackReason` as a `warn` log.
 */
export function loadTf(opts: { forceCpu?: boolean } = {}): LoadedTf {
  if (loaded) return loaded;
  const forceCpu = opts.forceCpu ?? readEnv().forceCpuBackend;
  if (forceCpu) {
    loaded = loadCpu('native backend disabled by RETUNE_TRAINER_FORCE_CPU');
  } else {
    try {
      const env = readEnv();
      loaded = loadNative(env.gpuVisible);
      if (env.fusedGradients) useFusedGradients(loaded.tf);
    } catch (err) {
      loaded = loadCpu(err instanceof Error ? err.message.split('\n')[0]! : String(err));
    }
  }
  return loaded;
}

/** Shorthand for modules that need the namespace after the entry point chose a backend. */
export function tfjs(): Tf {
  return loadTf().tf;
}
