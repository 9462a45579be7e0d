import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedTrainer } from '@retune/activities';
import type { TrainerSpec } from '@retune/core';

/** Maps a sweep's trainer spec to the command this host runs. */
export function createTrainerResolver(repoRoot: string) {
  // The tfjs trainer is TypeScript: load tsx by absolute URL so any working directory works.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
  const builtIn: Record<string, ResolvedTrainer> = {
    synthetic: { command: [process.execPath, join(repoRoot, 'trainers/synthetic/train.mjs')] },
    tfjs: {
      command: [process.execPath, '--import', tsx, join(repoRoot, 'libs/trainer/src/bin/train.ts')],
      cwd: repoRoot,
    },
  };
  return (trainer: TrainerSpec): ResolvedTrainer => {
    if ('command' in trainer)
      return { command: trainer.command, ...(trainer.cwd ? { cwd: trainer.cwd } : {}) };
    const found = builtIn[trainer.name];
    if (!found) throw new Error(`unknown built-in trainer "${trainer.name}"`);
    return found;
  };
}
