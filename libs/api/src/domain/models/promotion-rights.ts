import { grantPatternRefusal, mayPromote, promoteRefusal } from '@retune/core';
import type { PromotionGrantView, Repositories, UserView } from '@retune/db';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors';
import { findUserByRef } from '../auth/users';

/** Who promotes: a signed-in user (API), or the CLI holding the database's credentials. */
export type Promoter = (Pick<UserView, 'id' | 'role'> & { email?: string }) | 'local-operator';

type GrantRepos = Pick<Repositories, 'promotionGrants'>;

/** How a promotion's reason names who did it. */
export const promoterName = (who: Promoter): string =>
  who === 'local-operator' ? 'cli' : (who.email ?? who.id);

/**
 * Refuses (ForbiddenError, audited as "refused") a promotion on `task` that `who` may not make:
 * admins and the local operator promote anywhere, members within their grants, viewers never.
 */
export async function assertMayPromote(
  deps: { repos: GrantRepos },
  who: Promoter,
  task: string,
): Promise<void> {
  if (who === 'local-operator') return;
  const grants = who.role === 'member' ? await deps.repos.promotionGrants.tasksOf(who.id) : [];
  if (!mayPromote(who.role, grants, task)) {
    throw new ForbiddenError(promoteRefusal(who.email ?? who.id, who.role, task));
  }
}

/** Lets a member promote models of `task` (a name, `prefix*` or `*`); granting twice is a no-op. */
export async function grantPromotion(
  deps: { repos: GrantRepos & Pick<Repositories, 'users'> },
  input: { userId: string; task: string },
  grantedBy: string,
): Promise<PromotionGrantView> {
  const task = input.task.trim();
  const bad = grantPatternRefusal(task);
  if (bad) throw new InvalidInputError(bad, [{ path: 'task', message: bad }]);
  const user = await findUserByRef(deps, input.userId);
  if (user.role === 'viewer') {
    throw new ConflictError(
      `${user.email} is a viewer and could not promote anyway: make them a member first (\`retune user role ${user.email} member\`)`,
    );
  }
  return deps.repos.promotionGrants.grant({ userId: user.id, task, grantedBy });
}

export async function revokePromotion(
  deps: { repos: GrantRepos & Pick<Repositories, 'users'> },
  input: { userId: string; task: string },
): Promise<{ id: string; task: string; revoked: boolean }> {
  const user = await findUserByRef(deps, input.userId);
  const task = input.task.trim();
  if (!(await deps.repos.promotionGrants.revoke(user.id, task))) {
    throw new NotFoundError(`promotion grant of "${task}" to ${user.email}`);
  }
  return { id: user.id, task, revoked: true };
}

export async function listPromotionGrants(
  deps: { repos: GrantRepos & Pick<Repositories, 'users'> },
  filter: { userId?: string } = {},
): Promise<PromotionGrantView[]> {
  const userId = filter.userId ? (await findUserByRef(deps, filter.userId)).id : undefined;
  return deps.repos.promotionGrants.list(userId ? { userId } : {});
}
