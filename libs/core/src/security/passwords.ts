/** Chosen passwords are at least this long (checked by the API; forms say so before sending). */
export const MIN_PASSWORD_LENGTH = 8;

/** Why a new password (typed twice in a form) cannot be used, or null. */
export function newPasswordProblem(password: string, again?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `password: at least ${MIN_PASSWORD_LENGTH} characters`;
  }
  if (again !== undefined && again !== password) return 'the two new passwords differ';
  return null;
}
