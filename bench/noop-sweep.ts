import { join } from 'node:path';
import { parseSweepSpec, type SweepSpec } from '@retune/core';
import { repoRoot } from '@retune/worker';

/**
 * How the no-op trainer runs: `process` starts trainers/noop/train.sh for every trial; `reuse`
 * runs trainers/noop/serve.mjs, which declares reuse and takes the slot's trials in one process
 * (docs/trainer-reuse.md), as Ray Tune does with reuse_actors=True.
 */
export type NoopMode = 'process' | 'reuse';

/** A random sweep of `trials` runs of trainers/noop (sleeps NOOP_SECONDS): orchestration only. */
export function noopSweepSpec(
  name: string,
  trials: number,
  maxParallel: number,
  mode: NoopMode = 'process',
): SweepSpec {
  const trainer =
    mode === 'reuse'
      ? { command: [process.execPath, join(repoRoot, 'trainers/noop/serve.mjs')], reusable: true }
      : { command: ['sh', join(repoRoot, 'trainers/noop/train.sh')] };
  return parseSweepSpec({
    name,
    dataset: 'none',
    baseModel: 'none',
    trainer,
    algorithm: 'random',
    maxTrials: trials,
    maxParallel,
    searchSpace: { x: { type: 'uniform', min: 0, max: 1 } },
  });
}
