import { z } from 'zod';
import { retrainScheduleViewSchema } from '@retune/core';
import { createSchedule } from '../../domain/schedules';
import { scheduleDepsOf } from '../../domain/schedules/schedule-deps';
import { policyOf } from '../../domain/access/access-policy';
import { checkScheduleAccess } from '../../domain/access/check-spec-access';
import { memberProcedure } from '../../trpc';
import { scheduleInput } from './schemas';

/** Stores a schedule and creates its Temporal Schedule. */
export const create = memberProcedure
  .meta({ audit: true })
  .input(z.object({ schedule: scheduleInput }))
  .output(retrainScheduleViewSchema)
  .mutation(({ ctx, input }) =>
    createSchedule(scheduleDepsOf(ctx), input.schedule, (spec) =>
      checkScheduleAccess(ctx.repos, spec, ctx.user, policyOf(ctx)),
    ),
  );
