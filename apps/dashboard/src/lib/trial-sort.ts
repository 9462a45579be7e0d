/** Sorting the trials table: by a column key, nulls (not yet known) last in both directions. */

export type SortDir = 'asc' | 'desc';

export interface SortableTrial {
  number: number;
  status: string;
  objective: number | null;
  durationMs: number | null;
  worker: string | null;
  slot: number | null;
  params: Record<string, string | number | boolean>;
}

export function sortValue(t: SortableTrial, key: string): string | number | boolean | null {
  if (key.startsWith('param:')) return t.params[key.slice(6)] ?? null;
  switch (key) {
    case 'status':
      return t.status;
    case 'objective':
      return t.objective;
    case 'duration':
      return t.durationMs;
    case 'worker':
      return t.worker === null ? null : `${t.worker}/${t.slot ?? ''}`;
    default:
      return t.number;
  }
}

export function sortTrials<T extends SortableTrial>(trials: T[], key: string, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...trials].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null || y === null) return x === y ? a.number - b.number : x === null ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number')
      return sign * (x - y) || a.number - b.number;
    return (
      sign * String(x).localeCompare(String(y), undefined, { numeric: true }) || a.number - b.number
    );
  });
}
