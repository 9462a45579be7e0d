import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { deriveSeed, type TrainerInput } from '@retune/core';
import type { Repositories } from '@retune/db';
import { untilDbAnswers, type DbRetryOptions } from './db-retry';
import type { RunTrialInput, TrialHeartbeat } from './types';

export interface PreparedInput {
  /** The trial's folder on this machine (input files and checkpoints live under it). */
  trialDir: string;
  /** The JSON file handed to the trainer (one per attempt, kept for debugging). */
  inputPath: string;
  checkpointDir: string;
  /** The previous attempt's last checkpoint, when it is still on this machine's disk. */
  resumeFrom: string | undefined;
  /** What the input file holds (a serving trainer gets it on stdin). */
  trainerInput: TrainerInput;
}

/**
 * A pbt trial's first attempt starts from its parent's checkpoint, which must be on this
 * machine (the work dir is shared by the GPU workers, or there is one worker).
 */
function pbtStart(input: RunTrialInput): string | undefined {
  const from = input.pbt?.resumeFrom;
  if (!from) return undefined;
  if (!existsSync(from)) {
    // Another attempt on this worker would not find it either.
    throw ApplicationFailure.nonRetryable(
      `population-based training: the parent trial's checkpoint ${from} is not on this worker; give the GPU workers one shared RETUNE_WORK_DIR (or run one GPU worker)`,
    );
  }
  return from;
}

/** The trainer's input without the slot's device: what a pipelined trial prepares while waiting. */
export type ResolvedInput = Omit<PreparedInput, 'trainerInput'> & {
  trainerInput: Omit<TrainerInput, 'device'>;
};

/**
 * Everything of the trainer's input that needs no slot, under workDir/trials/<trialId>: the
 * sweep's params, the base model (a registered one by its model.json location), the derived
 * seed, and the checkpoint to resume from on a retry. A pipelined trial resolves it while it
 * waits; `withDevice` adds the slot's device.
 */
export async function resolveTrainerInput(opts: {
  input: RunTrialInput;
  baseModels: Pick<Repositories['baseModels'], 'findByName'>;
  workDir: string;
  attempt: number;
  previous: TrialHeartbeat | undefined;
  dbRetry: DbRetryOptions;
}): Promise<ResolvedInput> {
  const { input, previous } = opts;
  const dir = join(opts.workDir, 'trials', input.trialId);
  const checkpointDir = join(dir, 'checkpoints');
  await mkdir(checkpointDir, { recursive: true });
  const resumeFrom =
    previous?.lastCheckpoint && existsSync(previous.lastCheckpoint)
      ? previous.lastCheckpoint
      : pbtStart(input);
  const registered = await untilDbAnswers(
    () => opts.baseModels.findByName(input.baseModel),
    opts.dbRetry,
  );
  const trainerInput = {
    trialId: input.trialId,
    params: input.params,
    baseModel: registered?.path ?? input.baseModel,
    ...(registered?.meta ? { baseModelMeta: registered.meta } : {}),
    dataset: input.dataset,
    checkpointDir,
    ...(resumeFrom ? { resumeFrom } : {}),
    seed: deriveSeed(input.seed, input.pbt?.seedTrial ?? input.number),
  };
  const inputPath = join(dir, `input-attempt-${opts.attempt}.json`);
  return { trialDir: dir, inputPath, checkpointDir, resumeFrom, trainerInput };
}

/** The input for the slot the trial got. */
export function withDevice(resolved: ResolvedInput, device: TrainerInput['device']): PreparedInput {
  return { ...resolved, trainerInput: { ...resolved.trainerInput, device } };
}

/** Writes the input file (one per attempt, kept for debugging; a process per trial reads it). */
export async function writeTrainerInput(prepared: PreparedInput): Promise<void> {
  await writeFile(prepared.inputPath, JSON.stringify(prepared.trainerInput, null, 2));
}
