import { roleAllows, type Role } from './roles';

/**
 * Who may make a model version its task's champion: admins on every task, members on the tasks
 * an admin granted them (a task name, a prefix ending in `*`, or `*` for all), viewers never.
 * A retrain schedule promotes on its own later, so writing one needs the same right on its task.
 */
export const ALL_TASKS = '*';
const GRANT_PATTERN = /^[^*\s]{1,120}\*?$|^\*$/;

/** Why `grant` is not a valid task pattern, or null. */
export function grantPatternRefusal(grant: string): string | null {
  return GRANT_PATTERN.test(grant)
    ? null
    : `task: "${grant}" is not a task name or pattern: use a task name ("digits-5-9"), a prefix ending in * ("digits-*"), or * for every task`;
}

/** True when `grant` covers `task` (exact name, `prefix*`, or `*`). */
export function grantCovers(grant: string, task: string): boolean {
  if (grant === ALL_TASKS) return true;
  return grant.endsWith('*') ? task.startsWith(grant.slice(0, -1)) : grant === task;
}

export function mayPromote(role: Role, grants: readonly string[], task: string): boolean {
  if (roleAllows(role, 'admin')) return true;
  return roleAllows(role, 'member') && grants.some((g) => grantCovers(g, task));
}

/** The refusal a member without a grant sees: it names the rule and how an admin grants it. */
export const promoteRefusal = (email: string, role: Role, task: string): string =>
  role === 'viewer'
    ? `${email} is a viewer and may not promote models: an admin can change the role (\`retune user role ${email} member\`) and grant the task`
    : `${email} may not promote models of task "${task}" (rule: members promote within the tasks an admin granted them): an admin can grant it (\`retune user grant ${email} ${task}\`)`;
