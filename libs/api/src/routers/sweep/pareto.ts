import { z } from 'zod';
import { getParetoFront } from '../../domain/pareto-front';
import { viewerProcedure } from '../../trpc';

export const pareto = viewerProcedure
  .input(z.object({ id: z.string().min(1).max(64) }))
  .output(
    z.object({
      objectives: z.array(z.object({ name: z.string(), goal: z.enum(['maximize', 'minimize']) })),
      points: z.array(
        z.object({
          trialId: z.string(),
          number: z.number().int(),
          values: z.array(z.number()),
          onFront: z.boolean(),
          infeasible: z.boolean().optional(),
        }),
      ),
    }),
  )
  .query(({ ctx, input }) => getParetoFront(ctx, input.id));
