/**
 * How numbers, durations and schedules read, in the CLI and the dashboard alike. `null` (no
 * value yet) reads as an em dash.
 */
export const NONE = '—';

/** Integers as they are; very small or large numbers in exponent form; others to 4 digits. */
export function formatNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return NONE;
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6)
    ? v.toExponential(2)
    : String(Number(v.toPrecision(digits)));
}

/** A parameter or metric value: numbers as formatNumber, anything else as its text. */
export function formatValue(v: number | string | boolean | null | undefined): string {
  return typeof v === 'number' || v === null || v === undefined ? formatNumber(v) : String(v);
}

/** "850 ms", "4.2 s", "1m 05s", "2h 03m". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return NONE;
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** A change of a metric: "+0.0123", "−0.004", "±0". */
export function formatDelta(delta: number | null | undefined): string {
  if (delta === null || delta === undefined) return NONE;
  const v = Number(delta.toPrecision(3));
  return v > 0 ? `+${v}` : v < 0 ? `−${Math.abs(v)}` : '±0';
}

/** An interval in its largest whole unit: "every 2 h", "every 90 s". */
export function formatInterval(seconds: number): string {
  if (seconds > 0 && seconds % 86400 === 0) return `every ${seconds / 86400} d`;
  if (seconds > 0 && seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds > 0 && seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}

/** When a schedule runs: "every 1 h", "cron 0 3 * * * (Europe/Paris)"; UTC goes unsaid. */
export function formatScheduleTiming(s: {
  cron: string | null;
  intervalSeconds: number | null;
  timezone: string;
}): string {
  const when = s.cron ? `cron ${s.cron}` : formatInterval(s.intervalSeconds ?? 0);
  return s.timezone === 'UTC' ? when : `${when} (${s.timezone})`;
}

/** An ISO timestamp to the second, without the "T": "2026-01-01 12:00:00". */
export function formatTime(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : NONE;
}

/** GPU time used, against its budget when there is one: "1.2 / 2 GPU-h", "0.05 GPU-h". */
export function formatGpuHours(
  usedSeconds: number,
  budgetHours: number | null | undefined,
): string {
  const used = formatNumber(Number((usedSeconds / 3600).toPrecision(2)));
  return budgetHours ? `${used} / ${formatNumber(budgetHours)} GPU-h` : `${used} GPU-h`;
}
