import { z } from 'zod';
import { listSchedules } from '../../domain/schedules';
import { scheduleDepsOf } from '../../domain/schedules/schedule-deps';
import { viewerProcedure } from '../../trpc';
import { scheduleOverviewSchema } from './schemas';

/** Every schedule with its next fire times and latest runs. */
export const list = viewerProcedure
  .input(z.object({ runs: z.number().int().min(0).max(100).default(5) }).default({ runs: 5 }))
  .output(z.array(scheduleOverviewSchema))
  .query(({ ctx, input }) => listSchedules(scheduleDepsOf(ctx), input.runs));
