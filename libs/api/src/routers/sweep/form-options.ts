import { z } from 'zod';
import { getSweepFormOptions, sweepFormOptionsSchema } from '../../domain/sweep-form-options';
import { protectedProcedure } from '../../trpc';

export const formOptions = protectedProcedure
  .input(z.void())
  .output(sweepFormOptionsSchema)
  .query(({ ctx }) => getSweepFormOptions(ctx));
