import { createApiToken, listApiTokens, revokeApiToken } from '@retune/api';
import { CliError } from '../errors';
import { renderTable } from '../render/table';
import type { CliContext } from './context';

// The CLI holds DATABASE_URL, the same trust as the server: it acts as the local operator,
// who may list and revoke anyone's tokens.
const when = (iso: string | null) => (iso ? iso.slice(0, 19).replace('T', ' ') : null);

/** `retune token create --email X --name N [--read-only]`: prints the token once; only its hash is kept. */
export async function tokenCreateCommand(
  ctx: CliContext,
  opts: { email: string; name: string; readOnly?: boolean },
): Promise<number> {
  const user = await ctx.repos.users.findByEmail(opts.email.trim().toLowerCase());
  if (!user) throw new CliError(`no user with the email ${opts.email}`, 1);
  const { token, apiToken } = await createApiToken(ctx.deps, {
    userId: user.id,
    name: opts.name,
    scope: opts.readOnly ? 'read' : 'full',
  });
  const kind = opts.readOnly ? 'read-only' : `${user.role}`;
  console.error(`created ${kind} API token ${apiToken.id} "${apiToken.name}" for ${user.email}.`);
  console.error('Copy it now: it is shown only this once.');
  console.log(token);
  return 0;
}

/** `retune token list` */
export async function tokenListCommand(ctx: CliContext): Promise<number> {
  const tokens = await listApiTokens(ctx.deps, 'local-operator');
  if (tokens.length === 0) {
    console.log(
      'No API tokens. Create one: retune token create --email you@example.com --name laptop',
    );
    return 0;
  }
  console.log(
    renderTable(
      ['id', 'name', 'token', 'user', 'created', 'last used', 'revoked'],
      tokens.map((t) => [
        t.id,
        t.name,
        `${t.prefix}…`,
        t.userEmail,
        when(t.createdAt),
        when(t.lastUsedAt),
        when(t.revokedAt),
      ]),
    ),
  );
  return 0;
}

/** `retune token revoke <id>`: the token stops working at once. */
export async function tokenRevokeCommand(ctx: CliContext, id: string): Promise<number> {
  const revoked = await revokeApiToken(ctx.deps, 'local-operator', id);
  console.log(`revoked API token ${revoked.id} "${revoked.name}" of ${revoked.userEmail}`);
  return 0;
}
