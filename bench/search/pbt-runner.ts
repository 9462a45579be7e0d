import {
  pbtBoundaries,
  pbtConfigSchema,
  pbtExploitExplore,
  pbtInitialParams,
  type Params,
} from '@retune/core';
import { RunAccount, type RunLimits } from './retune-runner';
import type { RunResult } from './stats';
import { parsedSpace, type SearchTask } from './task';

/**
 * Retune's population-based training on a tabular/learning-curve task. A member that copies
 * another at epoch e continues on its new params' curve from epoch e (Syne Tune's simulator
 * convention for resumed trials). Each member-interval is a trial of `interval` epochs; when a
 * population has trained every epoch without reaching the goal, a fresh one starts.
 */
export function runPbt(
  task: SearchTask,
  seed: number,
  limits: RunLimits,
  options: { population: number; interval: number },
): RunResult {
  const space = parsedSpace(task.space);
  const config = pbtConfigSchema.parse(options);
  const account = new RunAccount(task, limits);
  const ends = pbtBoundaries(task.epochs, config.interval);
  for (let restart = 0; !account.done(); restart++) {
    const popSeed = seed * 1000 + restart;
    let members: Params[] = pbtInitialParams(space, config, popSeed);
    let start = 0;
    for (const [generation, end] of ends.entries()) {
      const scores = members.map((params) => task.curve(params)[end - 1]!);
      for (const score of scores) account.record(end - start, score);
      start = end;
      if (account.done()) break;
      members = pbtExploitExplore({
        space,
        config,
        seed: popSeed,
        generation,
        goal: 'maximize',
        members: members.map((params, i) => ({ params, score: scores[i]! })),
      }).map((d) => d.params);
    }
  }
  return account.result();
}
