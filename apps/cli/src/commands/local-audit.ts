import { domainErrorKind, LOCAL_OPERATOR, recordAudit } from '@retune/api';
import type { Repositories } from '@retune/db';

/**
 * Runs a change the local operator (the CLI with the database's credentials) makes and records
 * it in the audit log like the API does: ok, or failed with the error. `target` may depend on
 * the result (a new sweep's id).
 */
export async function audited<T>(
  repos: Pick<Repositories, 'audit'>,
  action: string,
  target: string | ((result: T) => string),
  fn: () => Promise<T>,
): Promise<T> {
  try {
    const result = await fn();
    const name = typeof target === 'function' ? target(result) : target;
    await recordAudit(repos, LOCAL_OPERATOR, { action, target: name, outcome: 'ok' });
    return result;
  } catch (err) {
    await recordAudit(repos, LOCAL_OPERATOR, {
      action,
      target: typeof target === 'string' ? target : null,
      outcome: domainErrorKind(err) === 'forbidden' ? 'refused' : 'failed',
      detail: err instanceof Error ? err.message : String(err),
    });
    throw err;
  }
}
