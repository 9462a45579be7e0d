import { z } from 'zod';
import { parseLaunchSpec } from '../spec/launch-spec';
import { parseWithSpecError, SpecError, type SweepSpec } from '../spec/sweep-spec';

export const RETRAIN_POLICIES = ['retrain-champion', 'sweep-around-champion'] as const;
export type RetrainPolicy = (typeof RETRAIN_POLICIES)[number];

/** Temporal's overlap policies, in Retune's spelling (the gateway maps them to Temporal's). */
export const OVERLAP_POLICIES = [
  'skip',
  'buffer-one',
  'buffer-all',
  'cancel-other',
  'terminate-other',
  'allow-all',
] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

const TASK = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** A sweep spec, validated as a launch is, so its issues read like a sweep's (`spec.…`). */
const embeddedSweepSpec = z.unknown().transform((value, ctx): SweepSpec => {
  try {
    return parseLaunchSpec(value);
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    for (const issue of err.issues) {
      ctx.addIssue({
        code: 'custom',
        path: issue.path ? [issue.path] : [],
        message: issue.message,
      });
    }
    return z.NEVER;
  }
});

export const retrainScheduleSpecSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'give the schedule a name')
      .max(120)
      .describe('The CLI names the schedule by it (pause, resume, trigger, update, delete).'),
    task: z
      .string()
      .regex(TASK, 'task: lowercase letters, digits, . _ - (max 63), e.g. digits-5-9')
      .describe('What the champion is for; exactly one champion model version per task.'),
    spec: embeddedSweepSpec.describe(
      'The sweep that trains a candidate: a sweep spec, validated like any other.',
    ),
    policy: z
      .enum(RETRAIN_POLICIES)
      .default('retrain-champion')
      .describe(
        "retrain-champion: one trial with the champion's params; sweep-around-champion: a small random sweep around them. With no champion yet, the spec as written.",
      ),
    cron: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Five fields (minute hour day-of-month month day-of-week) or @daily etc.'),
    intervalSeconds: z
      .number()
      .int()
      .min(1)
      .max(366 * 24 * 3600)
      .optional()
      .describe('Run every this many seconds; give exactly one of cron and intervalSeconds.'),
    timezone: z.string().min(1).max(64).default('UTC').describe('The timezone of cron.'),
    overlapPolicy: z
      .enum(OVERLAP_POLICIES)
      .default('skip')
      .describe("What to do when a run is due while the last one still runs (Temporal's)."),
    catchupWindowSeconds: z
      .number()
      .int()
      .min(10) // Temporal's minimum catch-up window
      .max(366 * 24 * 3600)
      .default(3600)
      .describe('Runs missed during an outage are caught up if at most this old.'),
    promoteMargin: z
      .number()
      .finite()
      .min(0)
      .default(0)
      .describe(
        'Promote only when the candidate beats the champion by at least this much of the metric.',
      ),
    webhookUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('An http(s) URL, POSTed once per finished run (retried with backoff).'),
    paused: z
      .boolean()
      .default(false)
      .describe(
        'Create the schedule paused; an update that leaves it out keeps the schedule paused or running as it was.',
      ),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.cron === undefined) === (s.intervalSeconds === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cron'],
        message: 'give exactly one of cron (e.g. "0 3 * * *") or intervalSeconds',
      });
    }
    if (s.cron !== undefined && s.cron.split(/\s+/).length < 5 && !s.cron.startsWith('@')) {
      ctx.addIssue({
        code: 'custom',
        path: ['cron'],
        message:
          'cron needs five fields (minute hour day-of-month month day-of-week) or @daily etc.',
      });
    }
  });

export type RetrainScheduleSpecInput = z.input<typeof retrainScheduleSpecSchema>;
export type RetrainScheduleSpec = z.output<typeof retrainScheduleSpecSchema>;

/** Validates a schedule; throws a SpecError whose lines name each bad field. */
export function parseRetrainScheduleSpec(input: unknown): RetrainScheduleSpec {
  return parseWithSpecError(retrainScheduleSpecSchema, input);
}
