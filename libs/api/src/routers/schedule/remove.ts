import { z } from 'zod';
import { deleteSchedule } from '../../domain/schedules';
import { scheduleDepsOf } from '../../domain/schedules/schedule-deps';
import { adminProcedure } from '../../trpc';
import { scheduleRef } from './schemas';

/** Deletes a schedule, its Temporal Schedule and its run history (model versions stay). */
export const remove = adminProcedure
  .meta({ audit: true })
  .input(z.object({ ref: scheduleRef }))
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => deleteSchedule(scheduleDepsOf(ctx), input.ref));
