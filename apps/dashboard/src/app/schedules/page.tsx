import Link from 'next/link';
import { DataTable } from '../../components/data-table';
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
      <DataTable
        rows={schedules}
        rowKey={(s) => s.id}
        empty={
          <>
            No schedules yet — create one below or with{' '}
            <code>npm run retune -- schedule create schedule.yaml</code>
          </>
        }
        columns={[
          {
            header: 'Name',
            cell: (s) => (
              <>
                <Link href={`/schedules/${s.id}`}>{s.name}</Link>
                <div className="sub">{s.paused ? 'paused' : 'active'}</div>
              </>
            ),
          },
          {
            header: 'Task',
            cell: (s) => <Link href={`/models?task=${encodeURIComponent(s.task)}`}>{s.task}</Link>,
          },
          {
            header: 'Timing',
            cell: (s) => (
              <>
                {formatScheduleTiming(s)}
                <div className="sub">overlap {s.overlapPolicy}</div>
              </>
            ),
          },
          {
            header: 'Policy',
            cell: (s) => (
              <>
                {s.policy}
                <div className="sub">margin {s.promoteMargin}</div>
              </>
            ),
          },
          {
            header: 'Next run',
            cell: (s) =>
              s.paused
                ? 'paused'
                : s.temporal === null
                  ? 'Temporal unreachable'
                  : formatTime(s.nextRunTimes[0] ?? null),
          },
          {
            header: 'Last runs (newest first)',
            cell: (s) =>
              s.runs.length === 0
                ? '—'
                : s.runs.map((r) => (
                    <span
                      key={r.id}
                      className={`badge ${outcomeTone(r.status)}`}
                      title={`${formatTime(r.startedAt)}: ${r.reason ?? ''}`}
                    >
                      {r.status} {r.delta === null ? '' : formatDelta(r.delta)}
                    </span>
                  )),
          },
          {
            header: 'Actions',
            cell: (s) =>
              canWrite && (
                <ScheduleActions id={s.id} name={s.name} paused={s.paused} canDelete={canDelete} />
              ),
          },
        ]}
      />
      {canWrite && (
        <>
          <h2>New schedule</h2>
          <ScheduleForm />
        </>
      )}
    </section>
  );
}
