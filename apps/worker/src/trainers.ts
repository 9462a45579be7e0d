import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import type { ResolvedTrainer, RunAs } from '@retune/activities';
import type { TrainerSpec } from '@retune/core';
import type { Repositories } from '@retune/db';

export interface TrainerResolverOptions {
  /** Registered trainers (`retune trainer register`); without it only built-ins resolve. */
  trainers?: Pick<Repositories['trainers'], 'get'>;
  /** RETUNE_TRAINER_USER, resolved: every trainer process runs as this user. */
  runAs?: RunAs;
}

/**
 * Maps a sweep's trainer spec to the command this host runs. A raw command is run as stored:
 * who may launch one is checked at launch (docs/security.md), so sweeps stored earlier still run.
 */
export function createTrainerResolver(repoRoot: string, opts: TrainerResolverOptions = {}) {
  // The tfjs trainer is TypeScript: load tsx by absolute URL so any working directory works.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
  const builtIn: Record<string, ResolvedTrainer> = {
    // Both take several trials in one process (serve mode, docs/trainer-reuse.md).
    synthetic: {
      command: [process.execPath, join(repoRoot, 'trainers/synthetic/train.mjs')],
      reusable: true,
    },
    tfjs: {
      command: [process.execPath, '--import', tsx, join(repoRoot, 'libs/trainer/src/bin/train.ts')],
      cwd: repoRoot,
      reusable: true,
    },
  };
  const withUser = (t: ResolvedTrainer): ResolvedTrainer =>
    opts.runAs ? { ...t, runAs: opts.runAs } : t;
  return async (trainer: TrainerSpec): Promise<ResolvedTrainer> => {
    if ('command' in trainer)
      return withUser({
        command: trainer.command,
        ...(trainer.cwd ? { cwd: trainer.cwd } : {}),
        ...(trainer.reusable ? { reusable: true } : {}),
      });
    const found = builtIn[trainer.name];
    if (found) return withUser(found);
    const registered = await opts.trainers?.get(trainer.name);
    if (!registered) {
      // Retrying will not register it: fail the trial with the fix.
      throw ApplicationFailure.nonRetryable(
        `unknown trainer "${trainer.name}": not built in and not registered on this deployment (an admin runs \`retune trainer register ${trainer.name} -- <command…>\`)`,
        'UnknownTrainer',
      );
    }
    return withUser({
      command: registered.command,
      ...(registered.cwd ? { cwd: registered.cwd } : {}),
      ...(registered.reusable ? { reusable: true } : {}),
    });
  };
}
