import {
  finishedCount,
  formatDuration,
  formatGpuHours,
  formatNumber,
  formatTime,
  type SweepDetail,
  type SweepSummary,
  type TrialView,
} from '@retune/core';
import type { ParetoView } from '@retune/api';
import { renderTable } from './table';

export function renderSweepList(sweeps: SweepSummary[]): string {
  if (sweeps.length === 0)
    return 'No sweeps yet. Launch one: npm run retune -- sweep launch examples/demo-sweep.yaml';
  // The GPU column appears once some sweep has a GPU-time budget.
  const gpu = sweeps.some((s) => s.gpuHoursBudget != null);
  return renderTable(
    ['id', 'name', 'status', 'done', 'failed', `best`, ...(gpu ? ['gpu'] : []), 'created'],
    sweeps.map((s) => [
      s.id,
      s.name,
      s.status,
      `${finishedCount(s.counts)}/${s.plannedTrials}`,
      s.counts.failed,
      s.bestValue === null ? null : `${s.metricName} ${formatNumber(s.bestValue)}`,
      ...(gpu ? [gpuUsage(s)] : []),
      formatTime(s.createdAt),
    ]),
  );
}

/** "1.2 / 2 GPU-h" for a sweep with a GPU-time budget, null otherwise. */
export function gpuUsage(s: SweepSummary): string | null {
  return s.gpuHoursBudget == null ? null : formatGpuHours(s.gpuSecondsUsed ?? 0, s.gpuHoursBudget);
}

/**
 * Trials best first (per the sweep's goal), infeasible ones after the feasible (never best),
 * then unfinished ones by number.
 */
export function sortTrials(trials: TrialView[], goal: 'maximize' | 'minimize'): TrialView[] {
  return [...trials].sort((a, b) => {
    if (!!a.infeasible !== !!b.infeasible && a.objective !== null && b.objective !== null)
      return a.infeasible ? 1 : -1;
    if (a.objective === null && b.objective === null) return a.number - b.number;
    if (a.objective === null) return 1;
    if (b.objective === null) return -1;
    return goal === 'maximize' ? b.objective - a.objective : a.objective - b.objective;
  });
}

export function renderTrials(sweep: SweepDetail): string {
  const paramNames = [...new Set(sweep.trials.flatMap((t) => Object.keys(t.params)))];
  const rows = sortTrials(sweep.trials, sweep.metricGoal).map((t) => [
    t.number,
    t.infeasible ? `${t.status} (infeasible)` : t.status,
    ...paramNames.map((p) => {
      const v = t.params[p];
      return typeof v === 'number' ? formatNumber(v) : v === undefined ? null : String(v);
    }),
    formatNumber(t.objective),
    formatDuration(t.durationMs),
    t.error ? t.error.split('\n')[0]!.slice(0, 60) : null,
  ]);
  return renderTable(
    ['trial', 'status', ...paramNames, sweep.metricName, 'duration', 'error'],
    rows,
  );
}

export function renderSweepHeader(s: SweepDetail): string {
  const best = s.trials.find((t) => t.id === s.bestTrialId);
  return [
    `${s.name}  (${s.id})`,
    `status ${s.status} · ${s.algorithm} · ${s.metricGoal} ${s.metricName} · dataset ${s.dataset} · base ${s.baseModel}`,
    best
      ? `best: trial ${best.number} ${s.metricName}=${formatNumber(best.objective)} ${JSON.stringify(best.params)}`
      : 'best: —',
    ...(s.gpuHoursBudget != null ? [`GPU time: ${gpuUsage(s)}`] : []),
    ...(s.error ? [`error: ${s.error}`] : []),
  ].join('\n');
}

/** A multi-objective sweep's answer: the trials no other trial beats on every objective. */
export function renderParetoFront(sweep: SweepDetail, view: ParetoView): string {
  const front = view.points.filter((p) => p.onFront).sort((a, b) => a.number - b.number);
  if (front.length === 0) return 'Pareto front: no completed trial has every objective yet';
  const byId = new Map(sweep.trials.map((t) => [t.id, t]));
  return (
    `Pareto front (${front.length} of ${view.points.length} completed trials):\n` +
    renderTable(
      [
        'trial',
        ...view.objectives.map((o) => `${o.name} (${o.goal === 'maximize' ? 'max' : 'min'})`),
        'params',
      ],
      front.map((p) => [
        p.number,
        ...p.values.map((v) => formatNumber(v)),
        JSON.stringify(byId.get(p.trialId)?.params ?? {}),
      ]),
    )
  );
}
