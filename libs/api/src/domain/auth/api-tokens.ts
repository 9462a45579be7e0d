import type { ApiTokenScope, ApiTokenView, UserView } from '@retune/db';
import { InvalidInputError, NotFoundError } from '../errors';
import { apiTokenPrefix, newApiToken, newId, sha256 } from './secrets';
import type { AuthDeps } from './users';

/** Who acts: a signed-in user, or the local operator (CLI with DATABASE_URL) who may do anything. */
export type Actor = Pick<UserView, 'id' | 'role'> | 'local-operator';

/** The only user whose tokens the actor may see, or undefined for all. */
const ownerFilter = (actor: Actor): string | undefined =>
  actor === 'local-operator' || actor.role === 'admin' ? undefined : actor.id;

/** Creates a token for a user; the token itself is returned here once and never stored. */
export async function createApiToken(
  deps: AuthDeps,
  input: { userId: string; name: string; scope?: ApiTokenScope },
): Promise<{ token: string; apiToken: ApiTokenView }> {
  const name = input.name.trim();
  if (!name || name.length > 100) {
    throw new InvalidInputError('name: 1 to 100 characters', [
      { path: 'name', message: '1 to 100 characters' },
    ]);
  }
  const token = newApiToken();
  const apiToken = await deps.repos.apiTokens.create({
    id: newId('tok'),
    name,
    prefix: apiTokenPrefix(token),
    tokenHash: sha256(token),
    userId: input.userId,
    scope: input.scope ?? 'full',
  });
  return { token, apiToken };
}

/** A user's own tokens; an admin or the local operator sees everyone's. */
export function listApiTokens(deps: AuthDeps, actor: Actor): Promise<ApiTokenView[]> {
  return deps.repos.apiTokens.list(ownerFilter(actor));
}

/** Revokes a token at once. Another user's token is "not found" unless the actor is an admin. */
export async function revokeApiToken(
  deps: AuthDeps,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<ApiTokenView> {
  const existing = await deps.repos.apiTokens.get(id);
  const owner = ownerFilter(actor);
  if (!existing || (owner !== undefined && existing.userId !== owner)) {
    throw new NotFoundError(`API token ${id}`);
  }
  return (await deps.repos.apiTokens.revoke(id, now))!;
}
