import {
  downloadLimitsFrom,
  TRAINER_MODE_ENV,
  TRAINER_SERVE_MODE,
  URL_ALLOWLIST_SETTING,
} from '@retune/core';
import type { DownloadPolicy } from './download/guarded-download';

/** The only place in @retune/trainer that reads process.env. */
export interface TrainerEnv {
  /** Path of the trainer input JSON when it is not given as the last argument. */
  inputPath: string | undefined;
  /** `1`/`true` skips the native backend (tests of the pure-JS fallback). */
  forceCpuBackend: boolean;
  /** Where `demo:mnist-0-4-cnn` is cached once pretrained. */
  modelCacheDir: string | undefined;
  /** Decoded image folders and downloaded datasets (default: `<model cache>/data`). */
  dataCacheDir: string | undefined;
  /** A folder holding the four Fashion-MNIST `*-ubyte.gz` files (skips the lookup/download). */
  fashionMnistDir: string | undefined;
  gpuVisible: boolean;
  /** RETUNE_TRAINER_MODE=serve: several trials over stdin in one process (docs/trainer-reuse.md). */
  serve: boolean;
  /** The host index of the trial's GPU (CUDA_VISIBLE_DEVICES), for its name. */
  visibleGpu: string | undefined;
  /** RETUNE_STREAM_DATASET_MIB: image-folder splits larger than this are streamed (data/stream-setting.ts). */
  streamDatasetMib: string | undefined;
  /** RETUNE_TRAINER_FUSED_GRADS=0 keeps tfjs's own ReLU/BatchNorm gradients (native-grads.ts). */
  fusedGradients: boolean;
}

const truthy = (v: string | undefined) => v === '1' || v === 'true';

export function readEnv(): TrainerEnv {
  return {
    inputPath: process.env['RETUNE_TRAINER_INPUT'] || undefined,
    forceCpuBackend: truthy(process.env['RETUNE_TRAINER_FORCE_CPU']),
    modelCacheDir: process.env['RETUNE_MODEL_CACHE'] || undefined,
    dataCacheDir: process.env['RETUNE_DATA_CACHE'] || undefined,
    fashionMnistDir: process.env['RETUNE_FASHION_MNIST'] || undefined,
    // The worker hands a GPU trial exactly one device; '' (a CPU slot) or unset means none.
    gpuVisible: Boolean(process.env['CUDA_VISIBLE_DEVICES']),
    serve: process.env[TRAINER_MODE_ENV] === TRAINER_SERVE_MODE,
    visibleGpu: process.env['CUDA_VISIBLE_DEVICES'] || undefined,
    streamDatasetMib: process.env['RETUNE_STREAM_DATASET_MIB'] || undefined,
    fusedGradients: process.env['RETUNE_TRAINER_FUSED_GRADS'] !== '0',
  };
}

/**
 * What a base model given as a URL may be downloaded from, and how big and slow it may be: the
 * worker's RETUNE_ALLOWED_HOSTS, RETUNE_DOWNLOAD_MAX_MB and RETUNE_DOWNLOAD_TIMEOUT_S (trainers
 * inherit the worker's environment).
 */
export function readDownloadPolicy(): DownloadPolicy {
  const allowedHosts = (process.env[URL_ALLOWLIST_SETTING] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return { ...downloadLimitsFrom(process.env), allowedHosts };
}

/** Quiets TensorFlow's C++ start-up chatter (stderr only) unless the user chose a level. */
export function quietTensorflowLogs(): void {
  process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
}
