import type { Params, SweepSpecInput } from '@retune/core';

/** What a search-efficiency run searches over: a space and the metric curve of any point in it. */
export interface SearchTask {
  name: string;
  description: string;
  metric: string;
  space: SweepSpecInput['searchSpace'];
  epochs: number;
  /** The metric after each epoch (length `epochs`) for these params; higher is better. */
  curve(params: Params): number[];
}
