import { z } from 'zod';
import { retrainScheduleViewSchema } from '@retune/core';
import { setSchedulePaused } from '../../domain/schedules';
import { scheduleDepsOf } from '../../domain/schedules/schedule-deps';
import { memberProcedure } from '../../trpc';
import { scheduleRef } from './schemas';

/** Stops a schedule from firing; a run in progress finishes. */
export const pause = memberProcedure
  .meta({ audit: true })
  .input(z.object({ ref: scheduleRef }))
  .output(retrainScheduleViewSchema)
  .mutation(({ ctx, input }) => setSchedulePaused(scheduleDepsOf(ctx), input.ref, true));
