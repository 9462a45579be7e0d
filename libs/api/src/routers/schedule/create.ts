import { z } from 'zod';
import { retrainScheduleViewSchema } from '@retune/core';
import { createSchedule } from '../../domain/schedules';
import { scheduleDepsOf } from '../../domain/schedules/schedule-deps';
import { protectedProcedure } from '../../trpc';
import { scheduleInput } from './schemas';

/** Stores a schedule and creates its Temporal Schedule. */
export const create = protectedProcedure
  .input(z.object({ schedule: scheduleInput }))
  .output(retrainScheduleViewSchema)
  .mutation(({ ctx, input }) => createSchedule(scheduleDepsOf(ctx), input.schedule));
