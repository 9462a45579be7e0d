import { createUser, LOCAL_OPERATOR, listUsers, recordAudit, setUserRole } from '@retune/api';
import { isRole, ROLES, type Role as UserRole } from '@retune/core';
import { CliError } from '../errors';
import { renderTable } from '../render/table';
import type { CliContext } from './context';
import { terminalPasswordSource, type PasswordSource } from './password-input';

export interface UserCreateOptions {
  email: string;
  passwordStdin?: boolean;
  admin?: boolean;
  role?: UserRole;
}

async function readNewPassword(opts: UserCreateOptions, source: PasswordSource): Promise<string> {
  if (opts.passwordStdin) return source.fromStdin();
  if (!source.interactive) {
    throw new CliError('no terminal to ask for a password: pipe it in with --password-stdin', 2);
  }
  const first = await source.prompt(`password for ${opts.email}: `);
  const again = await source.prompt('again: ');
  if (first !== again) throw new CliError('the passwords differ', 2);
  return first;
}

/** `retune user create --email X [--password-stdin] [--admin]` */
export async function userCreateCommand(
  ctx: CliContext,
  opts: UserCreateOptions,
  source: PasswordSource = terminalPasswordSource,
): Promise<number> {
  const password = await readNewPassword(opts, source);
  const user = await createUser(ctx.deps, {
    email: opts.email,
    password,
    role: opts.admin ? 'admin' : (opts.role ?? 'member'),
  });
  console.log(`created ${user.role} ${user.email} (${user.id})`);
  return 0;
}

/** `retune user list` */
export async function userListCommand(ctx: CliContext): Promise<number> {
  const users = await listUsers(ctx.deps);
  if (users.length === 0) {
    console.log('No users yet: `npm start` creates an admin, or `retune user create --email …`');
    return 0;
  }
  console.log(
    renderTable(
      ['email', 'role', 'created', 'id'],
      users.map((u) => [u.email, u.role, u.createdAt.slice(0, 19).replace('T', ' '), u.id]),
    ),
  );
  return 0;
}

/** `retune user role <email-or-id> <viewer|member|admin>` (the local operator; audited). */
export async function userRoleCommand(ctx: CliContext, ref: string, role: string): Promise<number> {
  if (!isRole(role)) throw new CliError(`role "${role}": use one of ${ROLES.join(', ')}`, 2);
  const user = await setUserRole(ctx.deps, ref, role);
  await recordAudit(ctx.repos, LOCAL_OPERATOR, {
    action: 'user.setRole',
    target: user.id,
    outcome: 'ok',
    detail: `${user.email} → ${role}`,
  });
  console.log(`${user.email} is now ${user.role}`);
  return 0;
}
