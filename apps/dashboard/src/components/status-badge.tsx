import type { SweepStatus, TrialStatus } from '@retune/core';
import { statusTone } from '../lib/format';

export function StatusBadge({ status }: { status: SweepStatus | TrialStatus }) {
  return <span className={`badge ${statusTone(status)}`}>{status}</span>;
}

/** A completed trial off an outcome constraint: never the best, off the Pareto front. */
export function InfeasibleBadge() {
  return (
    <span
      className="badge bad"
      title="breaks an outcome constraint: never the best, never on the Pareto front"
    >
      infeasible
    </span>
  );
}
