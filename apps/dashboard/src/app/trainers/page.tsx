import { serverCaller } from '../../server/context';

export const dynamic = 'force-dynamic';

/** The trainers a sweep may name; admins register more with `retune trainer register`. */
export default async function TrainersPage() {
  const { builtIn, registered } = await serverCaller().trainer.list();
  return (
    <section>
      <h1>Trainers</h1>
      <p className="sub">
        A sweep names one as <code>trainer: {'{ name: … }'}</code>. Admins register more with{' '}
        <code>retune trainer register NAME -- python3 train.py …</code>; only admins may launch a
        raw <code>trainer.command</code>.
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Command</th>
              <th>Working directory</th>
              <th>Registered by</th>
            </tr>
          </thead>
          <tbody>
            {builtIn.map((name) => (
              <tr key={name}>
                <td>{name}</td>
                <td className="sub">built in</td>
                <td>—</td>
                <td>—</td>
              </tr>
            ))}
            {registered.map((t) => (
              <tr key={t.name}>
                <td>{t.name}</td>
                <td>
                  <code className="path">{t.command.join(' ')}</code>
                </td>
                <td>{t.cwd ?? '—'}</td>
                <td>
                  {t.createdBy} <span className="sub">{t.createdAt.slice(0, 10)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
