import { can, type RoleAction } from '@retune/core';
import { currentUser } from './context';

/**
 * Whether the signed-in user may take `action`, so pages render only the controls they may use
 * (the API refuses the rest anyway; docs/security.md). Once per request, like currentUser.
 */
export async function userCan(action: RoleAction): Promise<boolean> {
  const user = await currentUser();
  return user !== null && can(user.role, action, user.readOnly === true);
}
