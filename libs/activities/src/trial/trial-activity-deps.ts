import type { Repositories } from '@retune/db';
import type { TrainerPool } from '../trainer-process/trainer-pool';
import type { TrialEndings } from './predecessor';
import type { SlotPool } from './slot-pool';
import type { ReportIntermediate, ResolvedTrainer, RunTrialInput } from './types';

export interface TrialActivityDeps {
  repos: Pick<Repositories, 'trials' | 'metrics' | 'baseModels'> &
    Partial<Pick<Repositories, 'trialLogs'>>;
  workerId: string;
  /** Per-trial inputs and checkpoints live under workDir/trials/<trialId>. */
  workDir: string;
  slots: SlotPool;
  resolveTrainer: (trainer: RunTrialInput['trainer']) => ResolvedTrainer | Promise<ResolvedTrainer>;
  /** Environment the trainer inherits (PATH, CUDA libraries…); the worker passes its own. */
  baseEnv?: Record<string, string | undefined>;
  heartbeatIntervalMs?: number;
  killGraceMs?: number;
  /** Needed only by sweeps with early stopping. */
  reportIntermediate?: ReportIntermediate;
  /** Keeps one process per slot for trainers that declare reuse; without it, one per trial. */
  trainerPool?: TrainerPool;
  /** Debug only (bench:overhead): each attempt appends its phase timestamps here. */
  trialTimingFile?: string;
  /** Where this process's attempts announce their end (pipelined slots); one per worker. */
  trialEndings?: TrialEndings;
  /** runTrial activities the GPU worker takes at once (default gpuActivityCapacity). */
  activityCapacity?: number;
}
