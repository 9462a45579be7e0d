import { redirect } from 'next/navigation';
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
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Via</th>
              <th>Action</th>
              <th>Target</th>
              <th>Outcome</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{e.at.slice(0, 19).replace('T', ' ')}</td>
                <td>{e.actorEmail ?? 'local operator'}</td>
                <td>{e.via}</td>
                <td>{e.action}</td>
                <td>{e.target ?? '—'}</td>
                <td>
                  <span className={`badge ${e.outcome === 'ok' ? 'ok' : 'bad'}`}>{e.outcome}</span>
                </td>
                <td className="sub">{e.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
