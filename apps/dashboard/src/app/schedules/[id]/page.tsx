import Link from 'next/link';
import { formatDelta, formatScheduleTiming, formatTime, formatValue } from '@retune/core';
import { serverCaller } from '../../../server/context';
import { ScheduleActions } from '../schedule-actions';
import { outcomeTone, scheduleToInput } from '../schedule-format';
import { ScheduleForm } from '../schedule-form';
import { userCan } from '../../../server/permissions';

export const dynamic = 'force-dynamic';

export default async function SchedulePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const s = await serverCaller().schedule.get({ ref: id, runs: 100 });
  return (
    <section>
      <div className="crumbs">
        <Link href="/schedules">Schedules</Link> / {s.name}
      </div>
      <h1>{s.name}</h1>
      <dl className="facts">
        <dt>Task</dt>
        <dd>
          <Link href={`/models?task=${encodeURIComponent(s.task)}`}>{s.task}</Link>
        </dd>
        <dt>Timing</dt>
        <dd>{formatScheduleTiming(s)}</dd>
        <dt>Next runs</dt>
        <dd>
          {s.paused
            ? 'paused'
            : s.nextRunTimes.length === 0
              ? '—'
              : s.nextRunTimes.slice(0, 3).map(formatTime).join(', ')}
        </dd>
        <dt>Policy</dt>
        <dd>
          {s.policy}, promote when better by ≥ {s.promoteMargin}
        </dd>
        <dt>Overlap</dt>
        <dd>
          {s.overlapPolicy}, catch-up window {s.catchupWindowSeconds} s
        </dd>
        <dt>Webhook</dt>
        <dd>{s.webhookUrl ?? '—'}</dd>
      </dl>
      {(await userCan('schedule.write')) && (
        <ScheduleActions
          id={s.id}
          name={s.name}
          paused={s.paused}
          afterDelete="/schedules"
          canDelete={await userCan('schedule.remove')}
        />
      )}

      <h2>Runs</h2>
      {s.runs.length === 0 ? (
        <p className="empty">No runs yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Started</th>
                <th>Outcome</th>
                <th>Candidate</th>
                <th>Champion</th>
                <th>Δ</th>
                <th>Why</th>
                <th>Lineage</th>
              </tr>
            </thead>
            <tbody>
              {s.runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    {formatTime(r.startedAt)}
                    {r.forced && <div className="sub">forced</div>}
                  </td>
                  <td>
                    <span className={`badge ${outcomeTone(r.status)}`}>{r.status}</span>
                  </td>
                  <td className="num">{formatValue(r.candidateMetric)}</td>
                  <td className="num">{formatValue(r.championMetric)}</td>
                  <td className="num">{formatDelta(r.delta)}</td>
                  <td>{r.reason ?? '—'}</td>
                  <td>
                    {r.sweepId && <Link href={`/sweeps/${r.sweepId}`}>sweep</Link>}{' '}
                    {r.candidateVersionId && (
                      <Link
                        href={`/models?task=${encodeURIComponent(s.task)}#${r.candidateVersionId}`}
                      >
                        version
                      </Link>
                    )}
                    <div className="sub">{r.workflowId}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Edit</h2>
      {(await userCan('schedule.write')) && <ScheduleForm id={s.id} initial={scheduleToInput(s)} />}
    </section>
  );
}
