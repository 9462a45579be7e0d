import { finishedCount, formatNumber, type SweepSummary } from '@retune/core';

/** One line: `[#####-----] 12/30 done · 2 running · 1 failed · best val_acc 0.913`. */
export function renderProgress(s: SweepSummary, width = 24): string {
  const done = finishedCount(s.counts);
  const total = Math.max(s.plannedTrials, 1);
  const filled = Math.min(width, Math.round((done / total) * width));
  const parts = [
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${s.plannedTrials} done`,
  ];
  if (s.counts.running) parts.push(`${s.counts.running} running`);
  if (s.counts.pruned) parts.push(`${s.counts.pruned} pruned`);
  if (s.counts.failed) parts.push(`${s.counts.failed} failed`);
  if (s.counts.cancelled) parts.push(`${s.counts.cancelled} cancelled`);
  if (s.bestValue !== null) parts.push(`best ${s.metricName} ${formatNumber(s.bestValue)}`);
  if (s.status !== 'running') parts.push(s.status); // queued, paused, or how it ended
  return parts.join(' · ');
}
