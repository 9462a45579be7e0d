/** Display helpers for retrain schedules and runs (pure, unit-tested). */

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
