import type { Comparison } from '@retune/api';

/** Trial ids from `?trials=a,b,c`: trimmed, unique, in order, at most `max`. */
export function parseTrialIds(raw: string | string[] | null | undefined, max = 20): string[] {
  const joined = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  return [
    ...new Set(
      joined
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ].slice(0, max);
}

/** RFC 4180 field: quoted when it holds a comma, quote, or line break. */
function field(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One row per trial: identity, status, objective and duration, then every parameter
 * (`param.<name>`) and every final metric (`metric.<name>`); empty where a trial lacks one.
 */
export function comparisonToCsv(c: Comparison): string {
  const metrics = [...new Set(c.trials.flatMap((t) => Object.keys(t.values)))].sort();
  const header = [
    'trial_id',
    'sweep_id',
    'sweep_name',
    'number',
    'status',
    'objective_metric',
    'objective',
    'duration_ms',
    ...c.params.map((p) => `param.${p}`),
    ...metrics.map((m) => `metric.${m}`),
  ];
  const rows = c.trials.map((t) => [
    t.id,
    t.sweepId,
    t.sweepName,
    t.number,
    t.status,
    t.metricName,
    t.objective,
    t.durationMs,
    ...c.params.map((p) => t.params[p]),
    ...metrics.map((m) => t.values[m]),
  ]);
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** The whole comparison (curves included) as pretty JSON. */
export const comparisonToJson = (c: Comparison): string => JSON.stringify(c, null, 2) + '\n';
