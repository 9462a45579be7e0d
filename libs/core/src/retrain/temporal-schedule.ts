import type { OverlapPolicy } from './schedule-spec';

/** Temporal's names for the overlap policies. */
export const TEMPORAL_OVERLAP = {
  skip: 'SKIP',
  'buffer-one': 'BUFFER_ONE',
  'buffer-all': 'BUFFER_ALL',
  'cancel-other': 'CANCEL_OTHER',
  'terminate-other': 'TERMINATE_OTHER',
  'allow-all': 'ALLOW_ALL',
} as const satisfies Record<OverlapPolicy, string>;

export interface ScheduleTiming {
  cron: string | null;
  intervalSeconds: number | null;
  timezone: string;
  overlapPolicy: OverlapPolicy;
  catchupWindowSeconds: number;
}

/**
 * The `spec` and `policies` of a Temporal Schedule as plain data (core imports no Temporal),
 * shaped like @temporalio/client's ScheduleSpec / policies so the gateway passes them as is.
 */
export function temporalScheduleParts(t: ScheduleTiming) {
  return {
    spec: {
      ...(t.cron ? { cronExpressions: [t.cron] } : {}),
      ...(t.intervalSeconds ? { intervals: [{ every: t.intervalSeconds * 1000 }] } : {}),
      timezone: t.timezone,
    },
    policies: {
      overlap: TEMPORAL_OVERLAP[t.overlapPolicy],
      catchupWindow: t.catchupWindowSeconds * 1000,
    },
  };
}
