import {
  missingConstraintValues,
  type MetricGoal,
  type OutcomeConstraint,
  type ResultMessage,
  type TrialOutcome,
} from '@retune/core';
import type { TrainerProcessResult } from '../trainer-process/run-trainer-process';

export interface OutcomeFacts {
  run: TrainerProcessResult;
  /** The trainer's {"type":"result"} line, if it printed one. */
  result: ResultMessage | null;
  /** Best value of the sweep metric seen on the learning curve (fallback objective). */
  bestOnCurve: number | null;
  metric: { name: string; goal: MetricGoal };
  objectives?: { name: string; goal: MetricGoal }[];
  constraints?: OutcomeConstraint[];
  /** Named in the full-disk message, so the user knows which disk to free. */
  checkpointDir: string;
}

const failed = (error: string): TrialOutcome => ({
  status: 'failed',
  objective: null,
  values: {},
  error,
});

function lastLines(text: string, n = 8): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-n).join('\n');
}

const reported = (values: Record<string, number>) => Object.keys(values).join(', ') || 'nothing';

/**
 * What a finished trainer run means for the trial. A trainer that fails on its own is a
 * *result* (status failed, so Temporal does not retry it); 'cancelled' is for the caller to
 * raise as a cancellation.
 */
export function classifyOutcome(facts: OutcomeFacts): TrialOutcome | 'cancelled' {
  const { run, metric } = facts;
  switch (run.kind) {
    case 'aborted':
      return 'cancelled';
    case 'spawn-error':
    case 'protocol-error':
      return failed(run.error);
    case 'exited':
      break;
  }
  if (run.exitCode !== 0) return failedExit(run.exitCode, run.stderrTail, facts.checkpointDir);
  const final = facts.result;
  if (final === null) return failed('trainer exited 0 without printing a {"type":"result"} line');
  const objective = final.values[metric.name] ?? facts.bestOnCurve;
  if (objective === null || objective === undefined) {
    return failed(
      `trainer never reported the sweep metric "${metric.name}"; it reported: ${reported(final.values)} (set metric.name in the spec to one of these)`,
    );
  }
  const missing = (facts.objectives ?? []).filter((o) => !Number.isFinite(final.values[o.name]));
  if (missing.length > 0) {
    return failed(
      `trainer did not report the objective${missing.length > 1 ? 's' : ''} ${missing.map((o) => `"${o.name}"`).join(', ')} in its result; it reported: ${reported(final.values)} (fix objectives in the spec)`,
    );
  }
  const unconstrained = missingConstraintValues(final.values, facts.constraints ?? []);
  if (unconstrained.length > 0) {
    return failed(
      `trainer did not report the constrained value${unconstrained.length > 1 ? 's' : ''} ${unconstrained.map((n) => `"${n}"`).join(', ')} in its result; it reported: ${reported(final.values)} (fix constraints in the spec)`,
    );
  }
  return {
    status: 'completed',
    objective,
    values: final.values,
    ...(final.artifact ? { artifact: final.artifact } : {}),
  };
}

function failedExit(exitCode: number, stderrTail: string, checkpointDir: string): TrialOutcome {
  const tail = lastLines(stderrTail);
  const exited = `trainer exited with code ${exitCode}${tail ? `: ${tail}` : ' (no stderr output)'}`;
  // A full disk shows up as a trainer crash (a stack trace); lead with the disk and the fix.
  if (/ENOSPC|No space left on device/i.test(stderrTail)) {
    return failed(
      `no space left on device: the disk holding ${checkpointDir} is full; free space there or point RETUNE_WORK_DIR at a larger disk (${exited})`,
    );
  }
  return failed(exited);
}
