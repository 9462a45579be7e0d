import Link from 'next/link';
import { serverCaller } from '../../server/context';
import { ScheduleActions } from './schedule-actions';
import { formatDelta, formatScheduleTiming, formatTime } from '@retune/core';
import { outcomeTone } from './schedule-format';
import { ScheduleForm } from './schedule-form';
import { userCan } from '../../server/permissions';

export const dynamic = 'force-dynamic';

export default async function SchedulesPage() {
  const schedules = await serverCaller().schedule.list({ runs: 5 });
  const [canWrite, canDelete] = [await userCan('schedule.write'), await userCan('schedule.remove')];
  return (
    <section>
      <h1>Retrain schedules</h1>
      {schedules.length === 0 ? (
        <p className="empty">
          No schedules yet — create one below or with{' '}
          <code>npm run retune -- schedule create schedule.yaml</code>
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Task</th>
                <th>Timing</th>
                <th>Policy</th>
                <th>Next run</th>
                <th>Last runs (newest first)</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {schedules.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link href={`/schedules/${s.id}`}>{s.name}</Link>
                    <div className="sub">{s.paused ? 'paused' : 'active'}</div>
                  </td>
                  <td>
                    <Link href={`/models?task=${encodeURIComponent(s.task)}`}>{s.task}</Link>
                  </td>
                  <td>
                    {formatScheduleTiming(s)}
                    <div className="sub">overlap {s.overlapPolicy}</div>
                  </td>
                  <td>
                    {s.policy}
                    <div className="sub">margin {s.promoteMargin}</div>
                  </td>
                  <td>
                    {s.paused
                      ? 'paused'
                      : s.temporal === null
                        ? 'Temporal unreachable'
                        : formatTime(s.nextRunTimes[0] ?? null)}
                  </td>
                  <td>
                    {s.runs.length === 0
                      ? '—'
                      : s.runs.map((r) => (
                          <span
                            key={r.id}
                            className={`badge ${outcomeTone(r.status)}`}
                            title={`${formatTime(r.startedAt)}: ${r.reason ?? ''}`}
                          >
                            {r.status} {r.delta === null ? '' : formatDelta(r.delta)}
                          </span>
                        ))}
                  </td>
                  <td>
                    {canWrite && (
                      <ScheduleActions
                        id={s.id}
                        name={s.name}
                        paused={s.paused}
                        canDelete={canDelete}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && (
        <>
          <h2>New schedule</h2>
          <ScheduleForm />
        </>
      )}
    </section>
  );
}
