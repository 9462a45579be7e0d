import { z } from 'zod';
import { retrainScheduleViewSchema } from '@retune/core';
import { updateSchedule } from '../../domain/schedules';
import { scheduleDepsOf } from '../../domain/schedules/schedule-deps';
import { policyOf } from '../../domain/access/access-policy';
import { checkScheduleAccess } from '../../domain/access/check-spec-access';
import { memberProcedure } from '../../trpc';
import { scheduleInput, scheduleRef } from './schemas';

/** Replaces a schedule's settings (the next run reads them). */
export const update = memberProcedure
  .meta({ audit: true })
  .input(z.object({ ref: scheduleRef, schedule: scheduleInput }))
  .output(retrainScheduleViewSchema)
  .mutation(({ ctx, input }) =>
    updateSchedule(scheduleDepsOf(ctx), input.ref, input.schedule, (spec) =>
      checkScheduleAccess(ctx.repos, spec, ctx.user, policyOf(ctx)),
    ),
  );
