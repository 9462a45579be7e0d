import { grantPromotion, listPromotionGrants, revokePromotion } from '@retune/api';
import { renderTable } from '../render/table';
import type { CliContext } from './context';
import { audited } from './local-audit';

/** `retune user grant <email-or-id> <task>`: the member may promote models of that task. */
export async function userGrantCommand(
  ctx: CliContext,
  ref: string,
  task: string,
): Promise<number> {
  const g = await audited(ctx.repos, 'user.grantPromotion', ref, () =>
    grantPromotion(ctx.deps, { userId: ref, task }, 'cli'),
  );
  console.log(`${g.email} may promote models of ${g.task}`);
  return 0;
}

/** `retune user revoke-grant <email-or-id> <task>` */
export async function userRevokeGrantCommand(
  ctx: CliContext,
  ref: string,
  task: string,
): Promise<number> {
  await audited(ctx.repos, 'user.revokePromotion', ref, () =>
    revokePromotion(ctx.deps, { userId: ref, task }),
  );
  console.log(`${ref} may no longer promote models of ${task}`);
  return 0;
}

/** `retune user grants [email-or-id]` */
export async function userGrantsCommand(ctx: CliContext, ref?: string): Promise<number> {
  const grants = await listPromotionGrants(ctx.deps, ref ? { userId: ref } : {});
  console.log(
    grants.length === 0
      ? 'no promotion grants (admins promote anywhere; `retune user grant EMAIL TASK`)'
      : renderTable(
          ['email', 'task', 'granted by', 'when'],
          grants.map((g) => [g.email, g.task, g.grantedBy, g.createdAt.slice(0, 19)]),
        ),
  );
  return 0;
}
