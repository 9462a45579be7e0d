import { finishedCount, type TrialCounts } from '@retune/core';

/** Stacked bar: completed / failed / pruned / cancelled / running out of the planned trials. */
export function ProgressBar({ counts, planned }: { counts: TrialCounts; planned: number }) {
  const total = Math.max(planned, 1);
  const pct = (n: number) => `${(100 * n) / total}%`;
  const done = finishedCount(counts);
  return (
    <div className="progress" title={`${done} of ${planned} done`}>
      <div className="bar">
        <span className="seg ok" style={{ width: pct(counts.completed) }} />
        <span className="seg bad" style={{ width: pct(counts.failed) }} />
        <span className="seg pruned" style={{ width: pct(counts.pruned) }} />
        <span className="seg muted" style={{ width: pct(counts.cancelled) }} />
        <span className="seg busy" style={{ width: pct(counts.running) }} />
      </div>
      <span className="progress-label">
        {done}/{planned}
        {counts.running > 0 && ` · ${counts.running} running`}
        {counts.pruned > 0 && ` · ${counts.pruned} pruned`}
        {counts.failed > 0 && ` · ${counts.failed} failed`}
      </span>
    </div>
  );
}
