import { z } from 'zod';
import { getSweepCurves, sweepCurvesSchema } from '../../domain/curves';
import { viewerProcedure } from '../../trpc';

export const curves = viewerProcedure
  .input(z.object({ id: z.string().min(1).max(64), metric: z.string().min(1).max(120).optional() }))
  .output(sweepCurvesSchema)
  .query(({ ctx, input }) => getSweepCurves(ctx, input.id, input.metric));
