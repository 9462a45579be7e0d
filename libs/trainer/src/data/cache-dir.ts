import { join } from 'node:path';
import { readEnv } from '../env';

/**
 * Where decoded datasets and downloaded dataset packages are kept: RETUNE_DATA_CACHE, else
 * `data/` under the model cache (RETUNE_MODEL_CACHE, default `.data/models`), so a worker's
 * trials share one cache.
 */
export function dataCacheDir(): string {
  const env = readEnv();
  return env.dataCacheDir ?? join(env.modelCacheDir ?? '.data/models', 'data');
}
