import { z } from 'zod';
import { triggerSchedule } from '../../domain/schedules';
import { scheduleDepsOf } from '../../domain/schedules/schedule-deps';
import { memberProcedure } from '../../trpc';
import { scheduleRef } from './schemas';

/** Runs a schedule now; `force` trains even on an unchanged dataset. */
export const trigger = memberProcedure
  .meta({ audit: true })
  .input(z.object({ ref: scheduleRef, force: z.boolean().default(false) }))
  .output(z.object({ id: z.string(), workflowId: z.string().nullable() }))
  .mutation(({ ctx, input }) => triggerSchedule(scheduleDepsOf(ctx), input.ref, input.force));
