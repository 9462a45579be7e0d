import { z } from 'zod';
import { retrainScheduleViewSchema } from '@retune/core';
import { updateSchedule } from '../../domain/schedules';
import { scheduleDepsOf } from '../../domain/schedules/schedule-deps';
import { protectedProcedure } from '../../trpc';
import { scheduleInput, scheduleRef } from './schemas';

/** Replaces a schedule's settings (the next run reads them). */
export const update = protectedProcedure
  .input(z.object({ ref: scheduleRef, schedule: scheduleInput }))
  .output(retrainScheduleViewSchema)
  .mutation(({ ctx, input }) => updateSchedule(scheduleDepsOf(ctx), input.ref, input.schedule));
