import {
  createSweepStudy,
  parseSweepSpec,
  type OptunaSampler,
  type Params,
  type Study,
  type SuggestRequest,
  type SuggestResponse,
  type SweepSpecInput,
} from '@retune/core';
import type { RunResult } from './stats';
import type { SearchTask } from './task';

export interface RunLimits {
  /** Trials at most (the search stops earlier once the goal is reached and the budget spent). */
  maxTrials: number;
  /** Trial-epochs after which the regret is read. */
  regretBudget: number;
}

/**
 * The bookkeeping both engines share: trial-epochs until the goal, and the regret once the
 * budget is spent. `done()` says when a run may stop.
 */
export class RunAccount {
  spent = 0;
  trials = 0;
  private bestAtBudget = -Infinity;
  private bestSoFar = -Infinity;
  epochsToGoal = Infinity;

  constructor(
    private readonly task: SearchTask,
    private readonly limits: RunLimits,
  ) {}

  /** A trial that ran `epochs` epochs; `final` is its last value when it completed. */
  record(epochs: number, final: number | null): void {
    this.trials++;
    this.spent += epochs;
    if (final === null) return;
    this.bestSoFar = Math.max(this.bestSoFar, final);
    if (this.spent <= this.limits.regretBudget) this.bestAtBudget = this.bestSoFar;
    if (final >= this.task.goal && !Number.isFinite(this.epochsToGoal)) {
      this.epochsToGoal = this.spent;
    }
  }

  done(): boolean {
    if (this.trials >= this.limits.maxTrials) return true;
    return Number.isFinite(this.epochsToGoal) && this.spent >= this.limits.regretBudget;
  }

  result(): RunResult {
    return { epochsToGoal: this.epochsToGoal, regret: this.task.best - this.bestAtBudget };
  }
}

function retuneStudy(
  task: SearchTask,
  spec: Partial<SweepSpecInput>,
  seed: number,
  limits: RunLimits,
): Study {
  const parsed = parseSweepSpec({
    name: 'bench',
    dataset: task.name,
    baseModel: 'none',
    searchSpace: task.space,
    ...spec,
    maxTrials: limits.maxTrials,
    seed,
  });
  return createSweepStudy(parsed);
}

/** Runs the trial the study just asked for on the task's curve, pruning as the study says. */
function runAskedTrial(
  study: Study,
  task: SearchTask,
  account: RunAccount,
  { number, params }: { number: number; params: Params },
): void {
  const curve = task.curve(params);
  let epochs = 0;
  let pruned = false;
  for (let e = 0; e < task.epochs; e++) {
    epochs++;
    study.report(number, e + 1, curve[e]!);
    if (e < task.epochs - 1 && study.shouldPrune(number)) {
      pruned = true;
      break;
    }
  }
  const final = curve[task.epochs - 1]!;
  study.tell(number, pruned ? { state: 'pruned' } : { state: 'completed', values: [final] });
  account.record(epochs, pruned ? null : final);
}

/** One Retune search: trials one at a time through the same Study a sweep workflow uses. */
export function runRetune(
  task: SearchTask,
  spec: Partial<SweepSpecInput>,
  seed: number,
  limits: RunLimits,
): RunResult {
  const study = retuneStudy(task, spec, seed, limits);
  const account = new RunAccount(task, limits);
  while (!account.done()) runAskedTrial(study, task, account, study.ask());
  return account.result();
}

/**
 * One Retune gp/cmaes search: each trial's params come from the sampler worker's `suggest`
 * (`suggestParams` is its activity), asked with the request the sweep workflow builds.
 */
export async function runRetuneOptuna(
  task: SearchTask,
  spec: Partial<SweepSpecInput>,
  seed: number,
  limits: RunLimits,
  suggest: (request: SuggestRequest) => Promise<SuggestResponse>,
): Promise<RunResult> {
  const study = retuneStudy(task, spec, seed, limits);
  const sampler = study.sampler as OptunaSampler;
  const account = new RunAccount(task, limits);
  while (!account.done()) {
    const number = study.size;
    const { space, directions } = study;
    const request = sampler.request({ space, directions, seed, trials: study.trials, number });
    sampler.accept(number, await suggest(request));
    runAskedTrial(study, task, account, study.ask());
  }
  return account.result();
}
