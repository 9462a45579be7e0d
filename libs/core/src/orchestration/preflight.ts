import type { MultiTaskPreflight } from '../spec/multitask-params';
import type { TrainerSpec } from '../spec/sweep-spec';

/** What the sweep workflow asks the GPU queue to check once, before the first trial. */
export interface SweepPreflightInput {
  trainer: TrainerSpec;
  dataset: string;
  baseModel: string;
  /** A multi-task sweep's task names and largest shareDepth (docs/multitask.md). */
  multiTask?: MultiTaskPreflight;
}

/** Each problem names the spec field (`dataset: …`, `baseModel: …`) and what to fix. */
export interface SweepPreflightResult {
  problems: string[];
}

/** The sweep's error when the preflight found problems (undefined when it found none). */
export function preflightError(result: SweepPreflightResult): string | undefined {
  if (result.problems.length === 0) return undefined;
  return `the sweep's inputs would fail every trial, so none was started: ${result.problems.join('; ')}`;
}
