import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainerInput, TrainerMessage } from '@retune/core';
import type { TrainerProcessResult } from './run-trainer-process';
import type { RunAs } from './run-as';
import { ServingTrainer } from './serving-trainer';

/** When a pooled trainer process is replaced (besides after a failed or cancelled trial). */
export interface TrainerReuseConfig {
  /** Trials one process takes before it is replaced (a bound on anything it leaks). */
  maxTrials: number;
  /** Replace the process once its resident memory exceeds this many MiB (checked between trials). */
  maxRssMb?: number;
  /**
   * Pooled processes get `<markerDir>/slot-<i>` as their last argument, so a search of the
   * process table for the worker's work folder finds them (orphan checks); trainers ignore it.
   */
  markerDir: string;
}

export interface PooledTrialOptions {
  slot: number;
  trainer: { command: string[]; cwd?: string; runAs?: RunAs };
  /** The process's environment (slot and base env; no per-trial variables). */
  env: Record<string, string | undefined>;
  input: TrainerInput;
  signal: AbortSignal;
  onMessage: (message: TrainerMessage) => void | Promise<void>;
  killGraceMs?: number;
}

export interface TrainerPool {
  run(opts: PooledTrialOptions): Promise<TrainerProcessResult>;
  /** Process ids of the pooled processes, by slot (tests and benchmarks). */
  pids(): (number | undefined)[];
  /** Stops every pooled process (worker shutdown). */
  close(graceMs?: number): Promise<void>;
}

interface Entry {
  key: string;
  process: ServingTrainer;
  trials: number;
}

/**
 * One serving trainer process per slot (docs/trainer-reuse.md). A slot runs one trial at a
 * time, so its process does too; a different trainer on the slot replaces the process.
 */
export function createTrainerPool(config: TrainerReuseConfig): TrainerPool {
  const entries = new Map<number, Entry>();

  const retire = (slot: number, entry: Entry, graceMs?: number) => {
    if (entries.get(slot) === entry) entries.delete(slot);
    return entry.process.stop(graceMs);
  };

  let closed = false;

  const spawn = (slot: number, key: string, opts: PooledTrialOptions): Entry => {
    const { trainer } = opts;
    const marker = join(config.markerDir, `slot-${slot}`);
    mkdirSync(marker, { recursive: true });
    const entry: Entry = {
      key,
      trials: 0,
      process: new ServingTrainer({
        command: [...trainer.command, marker],
        ...(trainer.cwd ? { cwd: trainer.cwd } : {}),
        ...(trainer.runAs ? { runAs: trainer.runAs } : {}),
        env: opts.env,
      }),
    };
    entries.set(slot, entry);
    return entry;
  };

  const entryFor = async (opts: PooledTrialOptions): Promise<Entry> => {
    const { trainer } = opts;
    const key = JSON.stringify([trainer.command, trainer.cwd, trainer.runAs, opts.env]);
    const existing = entries.get(opts.slot);
    if (existing && existing.key === key && existing.process.alive) return existing;
    if (existing) await retire(opts.slot, existing, opts.killGraceMs);
    return spawn(opts.slot, key, opts);
  };

  /**
   * A process retired after maxTrials healthy trials is replaced once it has exited, before the
   * slot's next trial asks, so that trial does not wait for the start-up (one process per slot
   * at any time; a different trainer on the slot still replaces it).
   */
  const replaceSpent = async (opts: PooledTrialOptions, entry: Entry) => {
    await retire(opts.slot, entry, opts.killGraceMs);
    if (!closed && !entries.has(opts.slot)) spawn(opts.slot, entry.key, opts);
  };

  return {
    async run(opts) {
      const entry = await entryFor(opts);
      const { run, reusable } = await entry.process.runTrial(opts);
      entry.trials++;
      const rss = entry.process.rssMb();
      const tooBig = config.maxRssMb !== undefined && rss !== null && rss > config.maxRssMb;
      // A failed or cancelled trial's process is already gone or going; a spent one is asked to
      // stop without holding up this one's outcome, and one that only reached maxTrials is
      // replaced right away (a failed or oversized one at the next trial, as before).
      if (reusable && !tooBig && entry.trials >= config.maxTrials) {
        // Should the early start fail, the slot's next trial starts a process itself.
        replaceSpent(opts, entry).catch(() => undefined);
      } else if (!reusable || tooBig) void retire(opts.slot, entry, opts.killGraceMs);
      return run;
    },
    pids: () => {
      const size = Math.max(-1, ...entries.keys()) + 1;
      return Array.from({ length: size }, (_, i) => entries.get(i)?.process.pid);
    },
    async close(graceMs) {
      closed = true;
      await Promise.all([...entries].map(([slot, entry]) => retire(slot, entry, graceMs)));
    },
  };
}
