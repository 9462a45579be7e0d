/** Display helpers for retrain schedules and runs (pure, unit-tested). */

export function timingLabel(s: {
  cron: string | null;
  intervalSeconds: number | null;
  timezone: string;
}): string {
  let when: string;
  if (s.cron) when = `cron ${s.cron}`;
  else {
    const sec = s.intervalSeconds ?? 0;
    when =
      sec % 86400 === 0
        ? `every ${sec / 86400} d`
        : sec % 3600 === 0
          ? `every ${sec / 3600} h`
          : sec % 60 === 0
            ? `every ${sec / 60} min`
            : `every ${sec} s`;
  }
  return s.timezone === 'UTC' ? when : `${when} (${s.timezone})`;
}

/** "+0.0123" / "−0.004" / "—". */
export function deltaLabel(delta: number | null): string {
  if (delta === null) return '—';
  const v = Number(delta.toPrecision(3));
  return v > 0 ? `+${v}` : v < 0 ? `−${Math.abs(v)}` : '±0';
}

export function outcomeTone(status: string): 'ok' | 'bad' | 'busy' | 'muted' {
  switch (status) {
    case 'promoted':
      return 'ok';
    case 'failed':
      return 'bad';
    case 'running':
      return 'busy';
    default:
      return 'muted';
  }
}

/** A schedule as the YAML the create/edit form shows (the shape `schedule create` reads). */
export function scheduleToInput(s: {
  name: string;
  task: string;
  spec: Record<string, unknown>;
  policy: string;
  cron: string | null;
  intervalSeconds: number | null;
  timezone: string;
  overlapPolicy: string;
  catchupWindowSeconds: number;
  promoteMargin: number;
  webhookUrl: string | null;
  paused: boolean;
}): Record<string, unknown> {
  return {
    name: s.name,
    task: s.task,
    policy: s.policy,
    ...(s.cron ? { cron: s.cron } : { intervalSeconds: s.intervalSeconds }),
    timezone: s.timezone,
    overlapPolicy: s.overlapPolicy,
    catchupWindowSeconds: s.catchupWindowSeconds,
    promoteMargin: s.promoteMargin,
    ...(s.webhookUrl ? { webhookUrl: s.webhookUrl } : {}),
    paused: s.paused,
    spec: s.spec,
  };
}
