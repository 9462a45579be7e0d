import { z } from 'zod';
import { getSchedule } from '../../domain/schedules';
import { scheduleDepsOf } from '../../domain/schedules/schedule-deps';
import { viewerProcedure } from '../../trpc';
import { scheduleOverviewSchema, scheduleRef } from './schemas';

/** One schedule (by id or name) with its run history. */
export const get = viewerProcedure
  .input(z.object({ ref: scheduleRef, runs: z.number().int().min(0).max(500).default(50) }))
  .output(scheduleOverviewSchema)
  .query(({ ctx, input }) => getSchedule(scheduleDepsOf(ctx), input.ref, input.runs));
