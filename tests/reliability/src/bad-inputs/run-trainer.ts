/**
 * Runs one trial through the real trial activity (trainer process, protocol parsing, DB writes)
 * in a mock activity context, and returns its outcome: how a bad trainer input reaches a user.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSlotPool, createTrialActivities, type RunTrialInput } from '@retune/activities';
import type { TrialOutcome, TrialView } from '@retune/core';
import { trialId } from '@retune/core';
import type { Repositories } from '@retune/db';
import { repoRoot } from '@retune/worker';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/** The built-in tfjs trainer, started the way the worker starts it. */
export const tfjsTrainer = [
  process.execPath,
  '--import',
  tsx,
  join(repoRoot, 'libs/trainer/src/bin/train.ts'),
];

export interface TrainerCase {
  command: string[];
  dataset?: string;
  baseModel?: string;
  params?: RunTrialInput['params'];
  /** Prepares the trial's directory before the trainer starts (e.g. a full disk). */
  prepare?: (trialDir: string) => void;
}

let counter = 0;

export async function runTrainerCase(
  repos: Repositories,
  sweepId: string,
  workDir: string,
  c: TrainerCase,
): Promise<{ outcome: TrialOutcome; row: TrialView | null }> {
  const number = counter++;
  const id = trialId(sweepId, number);
  await repos.trials.ensure(sweepId, [{ trialId: id, number, params: c.params ?? {} }]);
  const trialDir = join(workDir, 'trials', id);
  mkdirSync(join(trialDir, 'checkpoints'), { recursive: true });
  c.prepare?.(trialDir);
  const acts = createTrialActivities({
    repos,
    workerId: 'bad-inputs',
    workDir,
    slots: createSlotPool({ kind: 'cpu', slots: 1 }),
    resolveTrainer: () => ({ command: c.command, cwd: repoRoot }),
    baseEnv: process.env,
    killGraceMs: 1000,
  });
  const input: RunTrialInput = {
    sweepId,
    trialId: id,
    number,
    params: { epochs: 1, trainPerClass: 4, valPerClass: 2, ...c.params },
    trainer: { command: c.command },
    dataset: c.dataset ?? 'demo:mnist-5-9',
    baseModel: c.baseModel ?? 'demo:scratch',
    metric: { name: 'val_acc', goal: 'maximize' },
    seed: 1,
  };
  const outcome = (await new MockActivityEnvironment().run(acts.runTrial, input)) as TrialOutcome;
  // What the control worker then records, as recordTrialOutcome does.
  await repos.trials.finish(id, outcome);
  return { outcome, row: await repos.trials.get(id) };
}
