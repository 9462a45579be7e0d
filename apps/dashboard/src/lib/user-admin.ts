import { grantPatternRefusal, newPasswordProblem } from '@retune/core';

/** Why the create-user form cannot be sent yet, or null (the API checks the same again). */
export function createUserProblem(input: { email: string; password: string }): string | null {
  if (!/^[^\s@]+@[^\s@]+$/.test(input.email.trim())) {
    return `email: "${input.email}" is not an email address`;
  }
  return newPasswordProblem(input.password);
}

/** Why a promotion grant typed by an admin is not a task pattern, or null. */
export const grantProblem = (task: string): string | null =>
  task.trim() ? grantPatternRefusal(task.trim()) : 'task: name a task, a prefix ending in *, or *';

/** The grants of each user, by user id, in the order given. */
export function grantsByUser<G extends { userId: string }>(grants: G[]): Map<string, G[]> {
  const out = new Map<string, G[]>();
  for (const g of grants) out.set(g.userId, [...(out.get(g.userId) ?? []), g]);
  return out;
}

/** A password-change form's problem before sending: the new one twice, long enough, new. */
export function passwordChangeProblem(input: {
  current: string;
  next: string;
  again: string;
}): string | null {
  if (!input.current) return 'current password: type it to confirm it is you';
  if (input.current === input.next) return 'the new password is the current one';
  return newPasswordProblem(input.next, input.again);
}
