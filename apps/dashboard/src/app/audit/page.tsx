import { redirect } from 'next/navigation';
import { DataTable } from '../../components/data-table';
import { serverCaller } from '../../server/context';
import { userCan } from '../../server/permissions';

export const dynamic = 'force-dynamic';

/** The audit log (admins only): who did, or tried to do, what and through which credential. */
export default async function AuditPage() {
  if (!(await userCan('audit.list'))) redirect('/');
  const events = await serverCaller().audit.list({ limit: 200 });
  return (
    <section>
      <h1>Audit log</h1>
      <p className="sub">Newest first; also `retune audit`. Nothing here can be edited.</p>
      <DataTable
        rows={events}
        rowKey={(e) => String(e.id)}
        empty="No audited actions yet."
        columns={[
          { header: 'When', cell: (e) => e.at.slice(0, 19).replace('T', ' ') },
          { header: 'Who', cell: (e) => e.actorEmail ?? 'local operator' },
          { header: 'Via', cell: (e) => e.via },
          { header: 'Action', cell: (e) => e.action },
          { header: 'Target', cell: (e) => e.target ?? '—' },
          {
            header: 'Outcome',
            cell: (e) => (
              <span className={`badge ${e.outcome === 'ok' ? 'ok' : 'bad'}`}>{e.outcome}</span>
            ),
          },
          { header: 'Detail', className: 'sub', cell: (e) => e.detail ?? '' },
        ]}
      />
    </section>
  );
}
