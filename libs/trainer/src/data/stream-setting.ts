import { readEnv } from '../env';

/** Default RETUNE_STREAM_DATASET_MIB: about 3,500 images of 224² RGB are held, more streamed. */
export const DEFAULT_STREAM_DATASET_MIB = 512;

/**
 * Bytes of pixels above which an image-folder split is streamed from the decode cache instead
 * of held in memory: RETUNE_STREAM_DATASET_MIB (MiB, 0 = stream every split), default 512.
 */
export function streamAboveBytes(value = readEnv().streamDatasetMib): number {
  if (value === undefined) return DEFAULT_STREAM_DATASET_MIB * 2 ** 20;
  const mib = Number(value);
  if (!(Number.isFinite(mib) && mib >= 0)) {
    throw new Error(
      `RETUNE_STREAM_DATASET_MIB must be a number of MiB ≥ 0 (0 streams every image folder), got "${value}"`,
    );
  }
  return mib * 2 ** 20;
}
