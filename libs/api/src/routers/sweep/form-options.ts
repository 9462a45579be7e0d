import { z } from 'zod';
import { getSweepFormOptions, sweepFormOptionsSchema } from '../../domain/sweep-form-options';
import { viewerProcedure } from '../../trpc';

export const formOptions = viewerProcedure
  .input(z.void())
  .output(sweepFormOptionsSchema)
  .query(({ ctx }) => getSweepFormOptions(ctx));
