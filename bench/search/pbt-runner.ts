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
 * another at epoch e takes over its checkpoint (the params each epoch so far trained with) and
 * trains on with the new params: on a task with `scheduleCurve` exactly so; otherwise it
 * continues on its new params' curve from epoch e (Syne Tune's simulator convention for resumed
 * trials: what the copied checkpoint learnt is forgotten, the new config's own history assumed). Each member-interval is a trial of `interval` epochs; when a
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
    // Each member's params and the params each epoch so far trained with (its checkpoint).
    let members = pbtInitialParams(space, config, popSeed).map((params) => ({
      params,
      schedule: [] as Params[],
    }));
    let start = 0;
    for (const [generation, end] of ends.entries()) {
      const scores = members.map((m) => {
        for (let e = start; e < end; e++) m.schedule.push(m.params);
        return (task.scheduleCurve?.(m.schedule) ?? task.curve(m.params))[end - 1]!;
      });
      for (const score of scores) account.record(end - start, score);
      start = end;
      if (account.done()) break;
      const decisions = pbtExploitExplore({
        space,
        config,
        seed: popSeed,
        generation,
        goal: 'maximize',
        members: members.map((m, i) => ({ params: m.params, score: scores[i]! })),
      });
      members = decisions.map((d) => ({
        params: d.params,
        schedule: [...members[d.source]!.schedule],
      }));
    }
  }
  return account.result();
}
