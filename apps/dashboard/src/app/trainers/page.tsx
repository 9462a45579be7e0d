import { DataTable } from '../../components/data-table';
import { serverCaller } from '../../server/context';

export const dynamic = 'force-dynamic';

/** The trainers a sweep may name; admins register more with `retune trainer register`. */
export default async function TrainersPage() {
  const { builtIn, registered } = await serverCaller().trainer.list();
  const rows = [
    ...builtIn.map((name) => ({ name, registration: null })),
    ...registered.map((t) => ({ name: t.name, registration: t })),
  ];
  return (
    <section>
      <h1>Trainers</h1>
      <p className="sub">
        A sweep names one as <code>trainer: {'{ name: … }'}</code>. Admins register more with{' '}
        <code>retune trainer register NAME -- python3 train.py …</code>; only admins may launch a
        raw <code>trainer.command</code>.
      </p>
      <DataTable
        rows={rows}
        rowKey={(r) => r.name}
        empty="No trainers."
        columns={[
          { header: 'Name', cell: (r) => r.name },
          {
            header: 'Command',
            cell: ({ registration: t }) =>
              t ? (
                <code className="path">{t.command.join(' ')}</code>
              ) : (
                <span className="sub">built in</span>
              ),
          },
          { header: 'Working directory', cell: (r) => r.registration?.cwd ?? '—' },
          {
            // Built-in trainers all take several trials in one process (docs/trainer-reuse.md).
            header: 'Reusable',
            cell: ({ registration: t }) => (!t || t.reusable ? 'yes' : 'no'),
          },
          {
            header: 'Registered by',
            cell: ({ registration: t }) =>
              t ? (
                <>
                  {t.createdBy} <span className="sub">{t.createdAt.slice(0, 10)}</span>
                </>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </section>
  );
}
