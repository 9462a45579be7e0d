import { cache } from 'react';
import { can, mayPromote, type RoleAction } from '@retune/core';
import { currentUser, serverCaller } from './context';

/**
 * Whether the signed-in user may take `action`, so pages render only the controls they may use
 * (the API refuses the rest anyway; docs/security.md). Once per request, like currentUser.
 */
export async function userCan(action: RoleAction): Promise<boolean> {
  const user = await currentUser();
  return user !== null && can(user.role, action, user.readOnly === true);
}

/**
 * Which tasks the signed-in user may promote models of (admins: all; members: their grants;
 * viewers and read-only tokens: none), as a predicate for pages. Once per request.
 */
export const promotableTask = cache(async (): Promise<(task: string) => boolean> => {
  const user = await currentUser();
  if (!user || user.readOnly || !can(user.role, 'model.promote')) return () => false;
  const grants = user.role === 'admin' ? [] : await serverCaller().auth.promotionTasks();
  return (task) => mayPromote(user.role, grants, task);
});
