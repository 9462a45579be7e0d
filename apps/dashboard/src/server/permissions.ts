import { cache } from 'react';
import { can, mayPromote, type Role, type RoleAction } from '@retune/core';
import { currentUser, serverCaller } from './context';

/**
 * Whether the signed-in user may take `action`, so pages render only the controls they may use
 * (the API refuses the rest anyway; docs/security.md). Once per request, like currentUser.
 */
export async function userCan(action: RoleAction): Promise<boolean> {
  const user = await currentUser();
  return user !== null && can(user.role, action, user.readOnly === true);
}

/** What promotion rights the signed-in user has (null: none at all). Once per request. */
export const promotionRights = cache(async (): Promise<{ role: Role; grants: string[] } | null> => {
  const user = await currentUser();
  if (!user || user.readOnly || !can(user.role, 'model.promote')) return null;
  const grants = user.role === 'admin' ? [] : await serverCaller().auth.promotionTasks();
  return { role: user.role, grants };
});

/**
 * Which tasks the signed-in user may promote models of (admins: all; members: their grants;
 * viewers and read-only tokens: none), as a predicate for pages.
 */
export async function promotableTask(): Promise<(task: string) => boolean> {
  const rights = await promotionRights();
  return (task) => rights !== null && mayPromote(rights.role, rights.grants, task);
}
