import { condition } from '@temporalio/workflow';
import {
  pbtAdvance,
  pbtDone,
  pbtPlacement,
  pbtStart,
  trialId,
  type PlannedTrial,
} from '@retune/core';
import type { SweepRun } from './sweep-run';

type Launch = (trial: PlannedTrial, retry: boolean) => void;
type UpdateSweepRow = (update: {
  status: 'running' | 'paused';
  plannedTrials: number;
}) => Promise<void>;

/**
 * algorithm: pbt. Runs the population one interval at a time: every member's trial for the
 * interval (at most maxParallel at once, none while paused), then exploit/explore at the
 * boundary (search/pbt-run.ts) — so the state carried across continue-as-new is only the
 * population between intervals. Returns true when history is long and the workflow should
 * continue as new; false when every interval ran or the sweep was cancelled.
 * Reached only by pbt specs: other sweeps' histories are unchanged.
 */
export async function runPbt(
  run: SweepRun,
  launch: Launch,
  updateSweepRow: UpdateSweepRow,
): Promise<boolean> {
  const { spec, state, study } = run;
  state.pbt ??= pbtStart(spec);
  while (!pbtDone(spec, state.pbt) && !run.cancelRequested) {
    if (run.historyIsLong()) return true;
    const pbt = state.pbt;
    const queue: PlannedTrial[] = pbt.members.map((m, member) => {
      const { number } = study.askWith(m.params);
      const { params, pbt: placement } = pbtPlacement(spec, pbt, member, number);
      return { trialId: trialId(run.sweepId, number), number, params, pbt: placement };
    });
    const trials = [...queue];
    run.pbtOutcomes.clear();
    for (;;) {
      await condition(
        () =>
          run.cancelRequested ||
          run.sweepRowDirty ||
          (queue.length > 0 && !state.paused && run.running.size < spec.maxParallel) ||
          (queue.length === 0 && run.running.size === 0),
      );
      if (run.sweepRowDirty) {
        run.sweepRowDirty = false;
        await updateSweepRow({
          status: state.paused ? 'paused' : 'running',
          plannedTrials: state.budget,
        });
        continue;
      }
      if (run.cancelRequested) return false;
      if (queue.length === 0 && run.running.size === 0) break;
      launch(queue.shift()!, false);
    }
    // Outcomes are told (run.tell) before they are recorded; wait for the records too.
    await Promise.all(run.recording);
    state.pbt = pbtAdvance(
      spec,
      pbt,
      trials.map((t) => ({
        number: t.number,
        seedTrial: t.pbt!.seedTrial,
        outcome: run.pbtOutcomes.get(t.number),
      })),
    );
  }
  return false;
}
