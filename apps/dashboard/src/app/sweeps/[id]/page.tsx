import { TRPCError } from '@trpc/server';
import { paramImportanceOf } from '@retune/api';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AutoRefresh } from '../../../components/auto-refresh';
import { ProgressBar } from '../../../components/progress-bar';
import { StatusBadge } from '../../../components/status-badge';
import { SweepActions } from '../../../components/sweep-actions';
import { env } from '../../../env';
import { elapsedMs, formatDuration, formatTime, formatValue, isActive } from '../../../lib/format';
import { serverCaller } from '../../../server/context';

export const dynamic = 'force-dynamic';

async function loadSweep(id: string) {
  try {
    return await serverCaller().sweep.get({ id });
  } catch (err) {
    if (err instanceof TRPCError && err.code === 'NOT_FOUND') notFound();
    throw err;
  }
}

export default async function SweepPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const sweep = await loadSweep(id);
  const importance = paramImportanceOf(sweep);
  const paramNames = [...new Set(sweep.trials.flatMap((t) => Object.keys(t.params)))];
  const active = isActive(sweep.status);
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
        {active && (
          <SweepActions
            sweepId={sweep.id}
            status={sweep.status}
            failed={sweep.counts.failed}
            extendable={sweep.algorithm !== 'grid'}
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

      {importance.length > 0 && (
        <>
          <h2>Parameter importance</h2>
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
        </>
      )}

      <h2>Trials</h2>
      {sweep.trials.length === 0 ? (
        <p className="empty">No trials yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>Status</th>
                {paramNames.map((p) => (
                  <th key={p}>{p}</th>
                ))}
                <th>{sweep.metricName}</th>
                <th>Duration</th>
                <th>Worker / slot</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {sweep.trials.map((t) => (
                <tr key={t.id} className={t.id === sweep.bestTrialId ? 'best' : undefined}>
                  <td className="num">
                    {t.number}
                    {t.id === sweep.bestTrialId && (
                      <span className="star" title="best trial">
                        {' '}
                        ★
                      </span>
                    )}
                  </td>
                  <td>
                    <StatusBadge status={t.status} />
                  </td>
                  {paramNames.map((p) => (
                    <td key={p} className="num">
                      {formatValue(t.params[p])}
                    </td>
                  ))}
                  <td className="num strong">{formatValue(t.objective)}</td>
                  <td className="num">{formatDuration(t.durationMs)}</td>
                  <td>{t.worker ? `${t.worker} / ${t.slot ?? '—'}` : '—'}</td>
                  <td className="error-cell" title={t.error ?? undefined}>
                    {t.error ?? ''}
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
