import { isLiveSweep } from '@retune/core';
import type { DomainDeps } from './deps';
import { ConflictError } from './errors';
import { getSweep } from './sweep-queries';

/** Asks the sweep's workflow to stop: running trainers are killed, pending trials cancelled. */
export async function cancelSweep(
  deps: DomainDeps,
  id: string,
): Promise<{ id: string; status: 'cancelling' }> {
  const sweep = await getSweep(deps, id);
  if (!isLiveSweep(sweep.status)) {
    throw new ConflictError(`sweep ${id} is already ${sweep.status}`);
  }
  if (!sweep.workflowId) throw new ConflictError(`sweep ${id} has no workflow to cancel`);
  await deps.temporal.cancel(sweep.workflowId);
  return { id, status: 'cancelling' };
}
