import { z } from 'zod';
import { trialViewSchema } from '@retune/core';
import { MAX_TRIAL_PAGE, TRIAL_SORT_KEYS } from '@retune/db';
import { getTrialPage } from '../../domain/sweep-page';
import { viewerProcedure } from '../../trpc';

/** One page of a sweep's trials, sorted and cut on the server. */
export const trials = viewerProcedure
  .input(
    z.object({
      id: z.string().min(1).max(64),
      sort: z.enum(TRIAL_SORT_KEYS).default('number'),
      dir: z.enum(['asc', 'desc']).default('asc'),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(MAX_TRIAL_PAGE).default(100),
      scoredOnly: z.boolean().default(false),
      ids: z.array(z.string().min(1).max(80)).max(MAX_TRIAL_PAGE).optional(),
    }),
  )
  .output(z.object({ total: z.number().int(), trials: z.array(trialViewSchema) }))
  .query(({ ctx, input: { id, ...q } }) => getTrialPage(ctx, id, q));
