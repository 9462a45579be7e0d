import Link from 'next/link';
import { AutoRefresh } from '../components/auto-refresh';
import { ProgressBar } from '../components/progress-bar';
import { StatusBadge } from '../components/status-badge';
import { elapsedMs, formatDuration, formatTime, formatValue, isActive } from '../lib/format';
import { serverCaller } from '../server/context';

export const dynamic = 'force-dynamic';

export default async function SweepsPage() {
  const sweeps = await serverCaller().sweep.list({ limit: 200 });
  const now = Date.now();
  return (
    <section>
      {sweeps.some((s) => isActive(s.status)) && <AutoRefresh />}
      <h1>Sweeps</h1>
      {sweeps.length === 0 ? (
        <p className="empty">
          No sweeps yet — run <code>npm run retune -- sweep launch examples/demo-sweep.yaml</code>
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Progress</th>
                <th>Best</th>
                <th>Algorithm</th>
                <th>Started</th>
                <th>Elapsed</th>
              </tr>
            </thead>
            <tbody>
              {sweeps.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link href={`/sweeps/${s.id}`}>{s.name}</Link>
                    <div className="sub">{s.id}</div>
                  </td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td>
                    <ProgressBar counts={s.counts} planned={s.plannedTrials} />
                  </td>
                  <td className="num">
                    {s.bestValue === null ? '—' : `${s.metricName} ${formatValue(s.bestValue)}`}
                  </td>
                  <td>{s.algorithm}</td>
                  <td>{formatTime(s.startedAt)}</td>
                  <td className="num">
                    {formatDuration(elapsedMs(s.startedAt, s.finishedAt, now))}
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
