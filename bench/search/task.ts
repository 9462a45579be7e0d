import { parseSweepSpec, type Params, type SearchSpace, type SweepSpecInput } from '@retune/core';

/** What a search-efficiency run searches over: a space and the metric curve of any point in it. */
export interface SearchTask {
  name: string;
  description: string;
  metric: string;
  space: SweepSpecInput['searchSpace'];
  epochs: number;
  /** The trial cap of this task, where --max-trials does not fit it. */
  maxTrials?: number;
  /** The metric after each epoch (length `epochs`) for these params; higher is better. */
  curve(params: Params): number[];
  /**
   * The metric after each epoch when epoch i trains with schedule[i] (params changed during
   * training, as PBT does). Without it, a member that changes params at epoch e continues on the
   * new params' curve from epoch e.
   */
  scheduleCurve?(schedule: readonly Params[]): number[];
  /** The best final metric the space holds (known optimum, or the best of the table / grid). */
  best: number;
  /** A run has succeeded once a completed trial's final metric reaches this. */
  goal: number;
  /** How the goal was set, for the report. */
  goalText: string;
}

/** The space as the engine holds it (defaults filled in). */
export function parsedSpace(space: SearchTask['space']): SearchSpace {
  return parseSweepSpec({
    name: 's',
    dataset: 'd',
    baseModel: 'b',
    algorithm: 'random',
    maxTrials: 1,
    searchSpace: space,
  }).searchSpace;
}
