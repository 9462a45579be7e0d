import { z } from 'zod';
import { sweepSummarySchema } from '@retune/core';
import { launchSweep } from '../../domain/launch-sweep';
import { memberProcedure } from '../../trpc';

// The spec is validated by the domain (parseSweepSpec) so API, CLI and UI share one schema
// and its field-naming errors.
export const launch = memberProcedure
  .meta({ audit: true })
  .input(z.object({ spec: z.unknown() }))
  .output(sweepSummarySchema)
  .mutation(({ ctx, input }) => launchSweep(ctx, input.spec, ctx.user));
