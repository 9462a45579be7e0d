import { join } from 'node:path';
import { parseSweepSpec, type SweepSpec } from '@retune/core';
import { repoRoot } from '@retune/worker';

/** A random sweep of `trials` runs of trainers/noop (sleeps NOOP_SECONDS): orchestration only. */
export function noopSweepSpec(name: string, trials: number, maxParallel: number): SweepSpec {
  return parseSweepSpec({
    name,
    dataset: 'none',
    baseModel: 'none',
    trainer: { command: ['sh', join(repoRoot, 'trainers/noop/train.sh')] },
    algorithm: 'random',
    maxTrials: trials,
    maxParallel,
    searchSpace: { x: { type: 'uniform', min: 0, max: 1 } },
  });
}
