import Link from 'next/link';
import { formatTime, formatValue } from '@retune/core';
import { serverCaller } from '../../server/context';
import { PromoteButton } from './promote-button';
import { EmptyState } from '../../components/empty-state';
import { promotableTask } from '../../server/permissions';

export const dynamic = 'force-dynamic';

export default async function ModelsPage({
  searchParams,
}: {
  searchParams: Promise<{ task?: string }>;
}) {
  const { task } = await searchParams;
  const caller = serverCaller();
  const canPromote = await promotableTask();
  const filter = task ? { task } : {};
  const [versions, history, baseModels] = await Promise.all([
    caller.model.list(filter),
    caller.model.history(filter),
    caller.model.baseModels(),
  ]);
  const tasks = [...new Set(versions.map((v) => v.task))];
  return (
    <section>
      <h1>Models{task ? ` · ${task}` : ''}</h1>
      {task && (
        <p>
          <Link href="/models">all tasks</Link>
        </p>
      )}

      <h2>Model versions</h2>
      {versions.length === 0 ? (
        <EmptyState>No model versions yet — a retrain schedule registers them.</EmptyState>
      ) : (
        tasks.map((t) => (
          <div key={t}>
            <h3>
              <Link href={`/models?task=${encodeURIComponent(t)}`}>{t}</Link>
            </h3>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>Version</th>
                    <th>Champion</th>
                    <th>Metric</th>
                    <th>Params</th>
                    <th>Lineage</th>
                    <th>Created</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {versions
                    .filter((v) => v.task === t)
                    .map((v) => (
                      <tr key={v.id} id={v.id}>
                        <td>
                          v{v.version}
                          <div className="sub">{v.id}</div>
                        </td>
                        <td>{v.isChampion ? <span className="badge ok">champion</span> : ''}</td>
                        <td className="num">
                          {v.metricName} {formatValue(v.metricValue)}
                        </td>
                        <td>
                          {Object.entries(v.params)
                            .map(([k, p]) => `${k}=${formatValue(p)}`)
                            .join(', ')}
                        </td>
                        <td>
                          base {v.baseModel}, data {v.dataset}
                          <div className="sub">
                            {v.sweepId && <Link href={`/sweeps/${v.sweepId}`}>sweep</Link>}
                            {v.trialId && <> · trial {v.trialId}</>}
                            {v.snapshotId && <> · snapshot {v.snapshotId}</>}
                          </div>
                        </td>
                        <td>{formatTime(v.createdAt)}</td>
                        <td>
                          {!v.isChampion && canPromote(v.task) && (
                            <PromoteButton id={v.id} label={`${t} v${v.version}`} />
                          )}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </div>
        ))
      )}

      <h2>Champion history</h2>
      {history.length === 0 ? (
        <EmptyState>No champion yet.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>When</th>
                <th>Task</th>
                <th>Champion</th>
                <th>Previous</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id}>
                  <td>{formatTime(h.createdAt)}</td>
                  <td>{h.task}</td>
                  <td>{h.modelVersionId}</td>
                  <td>{h.previousVersionId ?? '—'}</td>
                  <td>{h.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Base models</h2>
      {baseModels.length === 0 ? (
        <EmptyState>
          None registered — <code>npm run retune -- pretrain my-base</code> or{' '}
          <code>base-model register</code>.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Input shape</th>
                <th>Source</th>
                <th>Path</th>
                <th>Registered</th>
              </tr>
            </thead>
            <tbody>
              {baseModels.map((b) => (
                <tr key={b.id}>
                  <td>{b.name}</td>
                  <td>{JSON.stringify(b.inputShape)}</td>
                  <td>{b.source}</td>
                  <td className="sub">{b.path}</td>
                  <td>{formatTime(b.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
