import { TRPCError } from '@trpc/server';
import {
  curvesByName,
  describeDeviceFacts,
  formatDuration,
  formatTime,
  formatValue,
  isPerClassAccuracy,
  perClassAccuracy,
  tasksFromParams,
} from '@retune/core';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AutoRefresh } from '../../../components/auto-refresh';
import { CompareCurves } from '../../../components/compare-curves';
import { InfeasibleBadge, StatusBadge } from '../../../components/status-badge';
import { serverCaller } from '../../../server/context';
import { RegisterModelForm } from './register-model-form';
import { EmptyState } from '../../../components/empty-state';
import { promotionRights, userCan } from '../../../server/permissions';
import { groupTaskCurves } from '../../../lib/task-metrics';

export const dynamic = 'force-dynamic';

async function load(id: string) {
  const caller = serverCaller();
  try {
    const [trial, points, logs] = await Promise.all([
      caller.trial.get({ id }),
      caller.sweep.metrics({ trialId: id }),
      caller.trial.logs({ id, limit: 500 }),
    ]);
    return { trial, points, logs };
  } catch (err) {
    if (err instanceof TRPCError && err.code === 'NOT_FOUND') notFound();
    throw err;
  }
}

export default async function TrialPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { trial, points, logs } = await load(id);
  const curves = curvesByName(points);
  // A multi-task trial's per-task curves: one chart per kind, one line per task.
  const byTask = groupTaskCurves(curves, tasksFromParams(trial.params));
  const perClass = perClassAccuracy(trial.values);
  const finals = Object.entries(trial.values).filter(([k]) => !isPerClassAccuracy(k));
  const live = trial.status === 'running' || trial.status === 'pending';
  return (
    <section>
      {live && <AutoRefresh />}
      <p className="crumbs">
        <Link href="/">Sweeps</Link> /{' '}
        <Link href={`/sweeps/${trial.sweepId}`}>{trial.sweepName}</Link> / trial {trial.number}
      </p>
      <div className="title-row">
        <h1>
          Trial {trial.number} <span className="sub">of {trial.sweepName}</span>
        </h1>
        <StatusBadge status={trial.status} />
        {trial.infeasible && <InfeasibleBadge />}
        <Link className="button" href={`/compare?trials=${encodeURIComponent(trial.id)}`}>
          Open in compare
        </Link>
      </div>
      <dl className="facts">
        <div>
          <dt>{trial.metricName}</dt>
          <dd>{formatValue(trial.objective)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(trial.durationMs)}</dd>
        </div>
        <div>
          <dt>GPU time</dt>
          <dd>{trial.gpuSeconds == null ? '—' : formatDuration(trial.gpuSeconds * 1000)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatTime(trial.startedAt)}</dd>
        </div>
        <div>
          <dt>Worker / slot</dt>
          <dd>{trial.worker ? `${trial.worker} / ${trial.slot ?? '—'}` : '—'}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{trial.attempts}</dd>
        </div>
        <div className="wide">
          <dt>Device</dt>
          <dd>{trial.device ? describeDeviceFacts(trial.device) : '—'}</dd>
        </div>
        <div className="wide">
          <dt>Checkpoint / artifact</dt>
          <dd>
            <code className="path">{trial.artifact ?? '—'}</code>
          </dd>
        </div>
      </dl>
      {trial.error && <p className="error-box">{trial.error}</p>}
      {trial.status === 'completed' && (await userCan('model.registerTrial')) && (
        <RegisterModelForm
          trialId={trial.id}
          defaultTask={trial.dataset}
          rights={await promotionRights()}
        />
      )}

      <div className="two-col">
        <div>
          <h2>Parameters</h2>
          <table className="table kv">
            <tbody>
              {Object.entries(trial.params).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td className="num">{formatValue(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h2>Final metrics</h2>
          {finals.length === 0 ? (
            <EmptyState>No result yet.</EmptyState>
          ) : (
            <table className="table kv">
              <tbody>
                {finals.map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row">{k}</th>
                    <td className="num">{formatValue(v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>

      {perClass.length > 0 && (
        <>
          <h2>Per-class accuracy</h2>
          <ul className="importance" aria-label="validation accuracy per class">
            {perClass.map((c) => (
              <li key={c.label}>
                <span className="importance-name">class {c.label}</span>
                <span className="importance-bar">
                  <span style={{ width: `${(100 * c.acc).toFixed(1)}%` }} />
                </span>
                <span className="num">{(100 * c.acc).toFixed(1)} %</span>
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>Curves</h2>
      {curves.size === 0 ? (
        <EmptyState>No per-epoch metrics reported yet.</EmptyState>
      ) : (
        <div className="chart-grid">
          {byTask.other.map(([metric, curve]) => (
            <CompareCurves
              key={metric}
              metric={metric}
              trials={[{ id: trial.id, label: `#${trial.number}`, status: trial.status, curve }]}
            />
          ))}
          {byTask.groups.map(({ kind, series }) => (
            <CompareCurves
              key={kind}
              metric={`${kind} per task`}
              trials={series.map(({ task, curve }) => ({
                id: task,
                label: task,
                status: trial.status,
                curve,
              }))}
            />
          ))}
        </div>
      )}

      <h2>Trainer log</h2>
      {logs.length === 0 ? (
        <EmptyState>No log lines were recorded for this trial.</EmptyState>
      ) : (
        <div className="table-wrap log">
          <table className="table">
            <thead>
              <tr>
                <th>Time</th>
                <th>Stream</th>
                <th>Line</th>
              </tr>
            </thead>
            <tbody>
              {logs.map((l) => (
                <tr key={l.id}>
                  <td className="num">{l.createdAt.slice(11, 19)}</td>
                  <td>{l.stream}</td>
                  <td>
                    <code>{l.line}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
