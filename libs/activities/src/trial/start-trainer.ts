import type { TrainerInput, TrainerMessage } from '@retune/core';
import {
  runTrainerProcess,
  type TrainerProcessResult,
} from '../trainer-process/run-trainer-process';
import type { TrainerPool } from '../trainer-process/trainer-pool';
import type { ResolvedTrainer } from './types';

/**
 * Runs a trial's trainer: on the slot's pooled process when the trainer declared reuse and the
 * worker has a pool (docs/trainer-reuse.md), else as its own process, as it always was.
 */
export function runTrialTrainer(opts: {
  trainer: ResolvedTrainer;
  pool: TrainerPool | undefined;
  slot: number;
  /** Base and slot environment (no per-trial variables). */
  env: Record<string, string | undefined>;
  inputPath: string;
  input: TrainerInput;
  signal: AbortSignal;
  onMessage: (message: TrainerMessage) => void | Promise<void>;
  killGraceMs: number | undefined;
}): Promise<TrainerProcessResult> {
  const { trainer, pool } = opts;
  const grace = opts.killGraceMs !== undefined ? { killGraceMs: opts.killGraceMs } : {};
  const where = {
    ...(trainer.cwd ? { cwd: trainer.cwd } : {}),
    ...(trainer.runAs ? { runAs: trainer.runAs } : {}),
  };
  if (trainer.reusable && pool) {
    return pool.run({
      slot: opts.slot,
      trainer: { command: trainer.command, ...where },
      env: opts.env,
      input: opts.input,
      signal: opts.signal,
      onMessage: opts.onMessage,
      ...grace,
    });
  }
  return runTrainerProcess({
    command: [...trainer.command, opts.inputPath],
    ...where,
    env: { ...opts.env, RETUNE_TRAINER_INPUT: opts.inputPath },
    signal: opts.signal,
    onMessage: opts.onMessage,
    ...grace,
  });
}
