import { budgetExtendable, isLiveSweep, type SweepDetail } from '@retune/core';
import type { SweepSignal } from '../temporal/sweep-gateway';
import type { DomainDeps } from './deps';
import { ConflictError, InvalidInputError } from './errors';
import { getSweep } from './sweep-queries';

export type SweepAction =
  | { action: 'pause' }
  | { action: 'resume' }
  | { action: 'retryFailed' }
  | { action: 'extendBudget'; extraTrials: number }
  | { action: 'extendGpuBudget'; extraGpuHours: number };

function check(sweep: SweepDetail, request: SweepAction): void {
  if (!isLiveSweep(sweep.status))
    throw new ConflictError(`sweep ${sweep.id} is already ${sweep.status}`);
  switch (request.action) {
    case 'pause':
      if (sweep.status === 'paused') throw new ConflictError(`sweep ${sweep.id} is already paused`);
      return;
    case 'resume':
      if (sweep.status !== 'paused') throw new ConflictError(`sweep ${sweep.id} is not paused`);
      return;
    case 'retryFailed':
      if (sweep.counts.failed === 0)
        throw new ConflictError(`sweep ${sweep.id} has no failed trials to retry`);
      return;
    case 'extendBudget':
      if (!budgetExtendable(sweep)) {
        throw new InvalidInputError(
          'a grid sweep runs exactly its grid; launch a new sweep to search more',
          [{ path: 'extraTrials', message: 'grid sweeps cannot be extended' }],
        );
      }
      return;
    case 'extendGpuBudget':
      if (sweep.gpuHoursBudget == null) {
        throw new InvalidInputError(
          'this sweep has no GPU-time budget (budget.gpuHours) to extend; add trials instead',
          [{ path: 'extraGpuHours', message: 'the sweep has no GPU-time budget' }],
        );
      }
      return;
  }
}

/** Pause, resume, extend or retry a live sweep by signalling its workflow. */
export async function controlSweep(
  deps: DomainDeps,
  id: string,
  request: SweepAction,
): Promise<{ id: string; action: SweepAction['action'] }> {
  const sweep = await getSweep(deps, id);
  check(sweep, request);
  if (!sweep.workflowId) throw new ConflictError(`sweep ${id} has no workflow`);
  const signal: SweepSignal = request.action;
  await (request.action === 'extendBudget'
    ? deps.temporal.signal(sweep.workflowId, signal, request.extraTrials)
    : request.action === 'extendGpuBudget'
      ? deps.temporal.signal(sweep.workflowId, signal, request.extraGpuHours)
      : deps.temporal.signal(sweep.workflowId, signal));
  return { id, action: request.action };
}
