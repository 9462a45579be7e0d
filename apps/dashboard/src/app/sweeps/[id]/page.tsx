import { TRPCError } from '@trpc/server';
import { paramImportanceOf } from '@retune/api';
import {
  budgetExtendable,
  GPU_METRICS,
  GPU_UTIL_METRIC,
  gpuBusyShare,
  formatDuration,
  formatGpuHours,
  formatTime,
  formatValue,
  isLiveSweep,
  isPerClassAccuracy,
} from '@retune/core';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AutoRefresh } from '../../../components/auto-refresh';
import { LearningCurves, type CurveTrialMeta } from './learning-curves';
import { ParallelCoordinates } from './parallel-coordinates';
import { ParamEffectCharts } from './param-effect-charts';
import { ParetoPanel } from './pareto-panel';
import { PbtFamilyPanel } from './pbt-family-panel';
import { ProgressBar } from '../../../components/progress-bar';
import { StatusBadge } from '../../../components/status-badge';
import { SweepActions } from './sweep-actions';
import { TrialsTable } from './trials-table';
import { TABLE_PAGE } from '../../../lib/page-slice';
import { TaskCurvesPanel } from './task-curves-panel';
import { TaskScatterPanel } from './task-scatter-panel';
import { sweepTasks } from '../../../lib/task-metrics';
import { userCan } from '../../../server/permissions';
import { env } from '../../../env';
import { elapsedMs } from '../../../lib/format';
import { serverCaller } from '../../../server/context';
import { EmptyState } from '../../../components/empty-state';

export const dynamic = 'force-dynamic';

/** The Pareto front over every trial, asked for only when the sweep has several objectives. */
async function paretoFor(sweep: { id: string; spec: unknown }) {
  const more = (sweep.spec as { objectives?: unknown[] } | null)?.objectives ?? [];
  if (more.length === 0) return { objectives: [], points: [] };
  return serverCaller().sweep.pareto({ id: sweep.id });
}

async function loadSweep(id: string) {
  try {
    const caller = serverCaller();
    // Never every trial: the header with counts, one table page, the charts' best + sample.
    const [sweep, curves, gpuUtil, chart, firstPage] = await Promise.all([
      caller.sweep.overview({ id }),
      caller.sweep.curves({ id }),
      caller.sweep.curves({ id, metric: GPU_UTIL_METRIC }),
      caller.sweep.chartTrials({ id }),
      caller.sweep.trials({ id, limit: TABLE_PAGE }),
    ]);
    const known = [...chart, ...firstPage.trials];
    const curveTrials = await curveMeta(id, curves.curves, firstPage, known);
    return { sweep, curves, chart, firstPage, curveTrials, gpuBusy: gpuBusyShare(gpuUtil.curves) };
  } catch (err) {
    if (err instanceof TRPCError && err.code === 'NOT_FOUND') notFound();
    throw err;
  }
}

/** Every trial's number and status up to this many trials (the metric menu's curves need them). */
const ALL_META_UP_TO = 1000;

/**
 * Number and status of the trials the curves draw. Up to ALL_META_UP_TO trials: all of them (any
 * metric's curves); a larger sweep: those in hand and the objective curves' trials by id.
 */
async function curveMeta(
  id: string,
  curves: { trialId: string }[],
  first: { total: number; trials: CurveTrialMeta[] },
  known: CurveTrialMeta[],
): Promise<CurveTrialMeta[]> {
  const meta = (t: CurveTrialMeta) => ({ id: t.id, number: t.number, status: t.status });
  if (first.total <= TABLE_PAGE) return first.trials.map(meta);
  if (first.total <= ALL_META_UP_TO) {
    const all = await serverCaller().sweep.trials({ id, limit: ALL_META_UP_TO });
    return all.trials.map(meta);
  }
  const byId = new Map(known.map((t) => [t.id, meta(t)]));
  const missing = curves.map((c) => c.trialId).filter((t) => !byId.has(t));
  for (let i = 0; i < missing.length; i += ALL_META_UP_TO) {
    const ids = missing.slice(i, i + ALL_META_UP_TO);
    const page = await serverCaller().sweep.trials({ id, ids, limit: ids.length });
    for (const t of page.trials) byId.set(t.id, meta(t));
  }
  return [...byId.values()];
}

export default async function SweepPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { sweep, curves, chart, firstPage, curveTrials, gpuBusy } = await loadSweep(id);
  const pbtFamily = sweep.algorithm === 'pbt' ? await serverCaller().sweep.pbtFamily({ id }) : null;
  // Charts, importance and the task panels draw the best trials and an even sample of the rest.
  const importance = paramImportanceOf({ ...sweep, trials: chart });
  const paramNames = [
    ...new Set([...chart, ...firstPage.trials].flatMap((t) => Object.keys(t.params))),
  ];
  const scored = chart;
  // Metrics the trainer reported at the end (per-class accuracies belong to the trial page).
  const metrics = [...new Set(scored.flatMap((t) => Object.keys(t.values)))]
    .filter((m) => !isPerClassAccuracy(m))
    .sort()
    // The worker's samples of each trial's GPU, drawn like the other curves when there are any.
    .concat(gpuBusy === null ? [] : GPU_METRICS);
  // Several objectives (spec.objectives): the trade-off between them.
  const pareto = await paretoFor(sweep);
  // Multi-task trials (params.tasks): per-task curves and the tasks' trade-off.
  const tasks = sweepTasks(chart);
  const searchSpace = ((sweep.spec as { searchSpace?: unknown }).searchSpace ?? {}) as Record<
    string,
    { type: string; values?: unknown[]; log?: boolean }
  >;
  const active = isLiveSweep(sweep.status);
  const temporalUi = sweep.workflowId
    ? `${env().TEMPORAL_UI_URL}/namespaces/${env().TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(sweep.workflowId)}`
    : null;
  return (
    <section>
      {active && <AutoRefresh />}
      <p className="crumbs">
        <Link href="/">Sweeps</Link> / {sweep.id}
      </p>
      <div className="title-row">
        <h1>{sweep.name}</h1>
        <StatusBadge status={sweep.status} />
        {active && (await userCan('sweep.control')) && (
          <SweepActions
            sweepId={sweep.id}
            status={sweep.status}
            failed={sweep.counts.failed}
            extendable={budgetExtendable(sweep)}
            gpuBudget={sweep.gpuHoursBudget != null}
          />
        )}
      </div>
      <dl className="facts">
        <div>
          <dt>Objective</dt>
          <dd>
            {sweep.metricGoal} {sweep.metricName}
          </dd>
        </div>
        <div>
          <dt>Best</dt>
          <dd>{sweep.bestValue === null ? '—' : formatValue(sweep.bestValue)}</dd>
        </div>
        <div>
          <dt>Algorithm</dt>
          <dd>{sweep.algorithm}</dd>
        </div>
        <div>
          <dt>Dataset</dt>
          <dd>{sweep.dataset}</dd>
        </div>
        <div>
          <dt>Base model</dt>
          <dd>{sweep.baseModel}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatTime(sweep.startedAt)}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd>{formatDuration(elapsedMs(sweep.startedAt, sweep.finishedAt, Date.now()))}</dd>
        </div>
        {sweep.gpuHoursBudget != null && (
          <div>
            <dt>GPU time</dt>
            <dd>{formatGpuHours(sweep.gpuSecondsUsed ?? 0, sweep.gpuHoursBudget)}</dd>
          </div>
        )}
        <div>
          <dt>GPU busy</dt>
          <dd>{gpuBusy === null ? '—' : `${(100 * gpuBusy).toFixed(0)} %`}</dd>
        </div>
        <div>
          <dt>Workflow</dt>
          <dd>
            {temporalUi ? (
              <a href={temporalUi} target="_blank" rel="noreferrer">
                {sweep.workflowId} ↗
              </a>
            ) : (
              '—'
            )}
          </dd>
        </div>
      </dl>
      <ProgressBar counts={sweep.counts} planned={sweep.plannedTrials} />
      {sweep.error && <p className="error-box">{sweep.error}</p>}

      <div className="chart-grid">
        <LearningCurves
          sweepId={sweep.id}
          initial={curves}
          trials={curveTrials}
          metrics={metrics}
        />
        <div className="panel">
          <div className="panel-head">
            <h2>Parameters → {sweep.metricName}</h2>
          </div>
          {scored.length === 0 ? (
            <EmptyState>No trial has a result yet.</EmptyState>
          ) : (
            <ParallelCoordinates
              searchSpace={searchSpace}
              trials={scored.map((t) => ({
                label: `#${t.number}`,
                status: t.status,
                params: t.params,
                objective: t.objective,
              }))}
              metricName={sweep.metricName}
              goal={sweep.metricGoal}
            />
          )}
        </div>
        <ParamEffectCharts
          searchSpace={searchSpace}
          trials={scored.map((t) => ({
            label: `#${t.number}`,
            params: t.params,
            objective: t.objective,
          }))}
          metricName={sweep.metricName}
          goal={sweep.metricGoal}
        />
        {importance.length > 0 && (
          <div className="panel">
            <div className="panel-head">
              <h2>Parameter importance</h2>
            </div>
            <p className="hint">
              fANOVA on a random forest fitted to the completed trials: the share of the variation
              in {sweep.metricName} each parameter explains on its own.
            </p>
            <ul className="importance" aria-label="parameter importance">
              {importance.map((p) => (
                <li key={p.param}>
                  <span className="importance-name">{p.param}</span>
                  <span className="importance-bar">
                    <span style={{ width: `${(100 * p.importance).toFixed(1)}%` }} />
                  </span>
                  <span className="num">{(100 * p.importance).toFixed(0)} %</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {pareto.objectives.length > 1 && pareto.points.length > 0 && (
          <ParetoPanel objectives={pareto.objectives} points={pareto.points} />
        )}
        {tasks.length > 1 && (
          <>
            <TaskCurvesPanel sweepId={sweep.id} tasks={tasks} trials={curveTrials} />
            <TaskScatterPanel
              tasks={tasks}
              trials={scored.map((t) => ({ id: t.id, number: t.number, values: t.values }))}
              frontTrialIds={
                pareto.objectives.length > 1
                  ? pareto.points.filter((p) => p.onFront).map((p) => p.trialId)
                  : []
              }
            />
          </>
        )}
      </div>
      {pbtFamily && pbtFamily.generations > 0 && (
        <PbtFamilyPanel sweepId={sweep.id} metricName={sweep.metricName} family={pbtFamily} />
      )}

      <h2>Trials</h2>
      {firstPage.total === 0 ? (
        <EmptyState>No trials yet.</EmptyState>
      ) : (
        <TrialsTable
          sweepId={sweep.id}
          firstPage={firstPage}
          paramNames={paramNames}
          metricName={sweep.metricName}
          bestTrialId={sweep.bestTrialId}
        />
      )}
    </section>
  );
}
