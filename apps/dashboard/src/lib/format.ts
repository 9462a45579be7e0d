import type { SweepStatus, TrialStatus } from '@retune/core';

export function formatValue(v: number | string | boolean | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6)
    ? v.toExponential(2)
    : String(Number(v.toPrecision(4)));
}

export function formatDuration(ms: number | null): string {
  if (ms === null || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Elapsed time of a sweep: to its end, or to `now` while it runs. */
export function elapsedMs(
  startedAt: string | null,
  finishedAt: string | null,
  now: number,
): number | null {
  if (!startedAt) return null;
  return (finishedAt ? Date.parse(finishedAt) : now) - Date.parse(startedAt);
}

export function formatTime(iso: string | null): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '—';
}

export const isActive = (status: SweepStatus) =>
  status === 'queued' || status === 'running' || status === 'paused';

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
