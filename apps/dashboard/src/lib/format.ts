import type { SweepStatus, TrialStatus } from '@retune/core';

/** Elapsed time of a sweep: to its end, or to `now` while it runs. */
export function elapsedMs(
  startedAt: string | null,
  finishedAt: string | null,
  now: number,
): number | null {
  if (!startedAt) return null;
  return (finishedAt ? Date.parse(finishedAt) : now) - Date.parse(startedAt);
}

export function statusTone(status: SweepStatus | TrialStatus): 'ok' | 'bad' | 'busy' | 'muted' {
  switch (status) {
    case 'completed':
      return 'ok';
    case 'failed':
      return 'bad';
    case 'running':
    case 'queued':
    case 'paused':
      return 'busy';
    default:
      return 'muted';
  }
}
