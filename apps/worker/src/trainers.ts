import { join } from 'node:path';
import type { ResolvedTrainer } from '@retune/activities';
import type { TrainerSpec } from '@retune/core';

/** Maps a sweep's trainer spec to the command this host runs. */
export function createTrainerResolver(repoRoot: string) {
  const builtIn: Record<string, ResolvedTrainer> = {
    synthetic: { command: [process.execPath, join(repoRoot, 'trainers/synthetic/train.mjs')] },
  };
  return (trainer: TrainerSpec): ResolvedTrainer => {
    if ('command' in trainer)
      return { command: trainer.command, ...(trainer.cwd ? { cwd: trainer.cwd } : {}) };
    const found = builtIn[trainer.name];
    if (!found) throw new Error(`unknown built-in trainer "${trainer.name}"`);
    return found;
  };
}
