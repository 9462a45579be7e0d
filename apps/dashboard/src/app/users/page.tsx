import { redirect } from 'next/navigation';
import { DataTable } from '../../components/data-table';
import { grantsByUser } from '../../lib/user-admin';
import { currentUser, serverCaller } from '../../server/context';
import { userCan } from '../../server/permissions';
import {
  CreateUserForm,
  GrantForm,
  RevokeGrantButton,
  RevokeTokenButton,
  RoleSelect,
} from './user-controls';

export const dynamic = 'force-dynamic';

/** Users, roles, promotion grants and every API token (admins only; docs/security.md). */
export default async function UsersPage() {
  if (!(await userCan('user.manage'))) redirect('/');
  const caller = serverCaller();
  const [me, users, grants, tokens] = await Promise.all([
    currentUser(),
    caller.user.list(),
    caller.user.grants({}),
    caller.token.list(),
  ]);
  const byUser = grantsByUser(grants);
  return (
    <section>
      <h1>Users</h1>
      <p className="sub">
        Viewers read; members launch and control sweeps and promote models of the tasks granted
        here; admins do everything. Also <code>retune user …</code>.
      </p>
      <CreateUserForm />
      <DataTable
        label="users"
        rows={users}
        rowKey={(u) => u.id}
        empty="No users."
        columns={[
          { header: 'Email', cell: (u) => (u.id === me?.id ? `${u.email} (you)` : u.email) },
          { header: 'Role', cell: (u) => <RoleSelect userId={u.id} role={u.role} /> },
          {
            header: 'May promote',
            cell: (u) =>
              u.role === 'admin' ? (
                <span className="sub">every task</span>
              ) : u.role === 'viewer' ? (
                <span className="sub">nothing</span>
              ) : (
                <div className="grant-list">
                  {(byUser.get(u.id) ?? []).map((g) => (
                    <RevokeGrantButton key={g.task} userId={u.id} task={g.task} />
                  ))}
                  <GrantForm userId={u.id} />
                </div>
              ),
          },
          { header: 'Created', cell: (u) => u.createdAt.slice(0, 10) },
        ]}
      />

      <h2>API tokens</h2>
      <DataTable
        label="API tokens"
        rows={tokens}
        rowKey={(t) => t.id}
        empty={
          <>
            No API tokens (<code>retune token create --email … --name …</code>).
          </>
        }
        columns={[
          { header: 'User', cell: (t) => t.userEmail },
          { header: 'Name', cell: (t) => t.name },
          { header: 'Scope', cell: (t) => (t.scope === 'read' ? 'read-only' : 'full') },
          { header: 'Last used', cell: (t) => t.lastUsedAt?.slice(0, 19).replace('T', ' ') ?? '—' },
          {
            header: '',
            cell: (t) =>
              t.revokedAt ? (
                <span className="sub">revoked {t.revokedAt.slice(0, 10)}</span>
              ) : (
                <RevokeTokenButton id={t.id} name={t.name} />
              ),
          },
        ]}
      />
    </section>
  );
}
