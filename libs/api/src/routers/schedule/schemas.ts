import { z } from 'zod';
import { retrainRunViewSchema, retrainScheduleViewSchema } from '@retune/core';

export const scheduleRef = z.string().min(1).max(200);

export const retrainRunSummarySchema = retrainRunViewSchema.extend({
  delta: z.number().nullable(),
});

export const scheduleOverviewSchema = retrainScheduleViewSchema.extend({
  nextRunTimes: z.array(z.string()),
  temporal: z.object({ paused: z.boolean(), running: z.number().int() }).nullable(),
  runs: z.array(retrainRunSummarySchema),
});

/** A schedule as the user writes it (YAML/JSON); the domain validates it field by field. */
export const scheduleInput = z.record(z.string(), z.unknown());
