import { z } from 'zod';
import { gpuHoursSchema } from '@retune/core';
import { controlSweep } from '../../domain/control-sweep';
import { memberProcedure } from '../../trpc';

const actionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('pause') }),
  z.object({ action: z.literal('resume') }),
  z.object({ action: z.literal('retryFailed') }),
  z.object({
    action: z.literal('extendBudget'),
    extraTrials: z.number().int().min(1).max(100_000),
  }),
  z.object({ action: z.literal('extendGpuBudget'), extraGpuHours: gpuHoursSchema }),
]);

/** Pause / resume / retry failed trials / extend the trial or GPU-time budget of a live sweep. */
export const control = memberProcedure
  .meta({ audit: true })
  .input(z.object({ id: z.string().min(1).max(64), request: actionSchema }))
  .output(
    z.object({
      id: z.string(),
      action: z.enum(['pause', 'resume', 'retryFailed', 'extendBudget', 'extendGpuBudget']),
    }),
  )
  .mutation(({ ctx, input }) => controlSweep(ctx, input.id, input.request));
