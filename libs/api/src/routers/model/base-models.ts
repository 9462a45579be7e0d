import { z } from 'zod';
import { baseModelViewSchema } from '@retune/core';
import { listBaseModels } from '../../domain/models/model-queries';
import { protectedProcedure } from '../../trpc';

/** Registered base models (what model versions are fine-tuned from). */
export const baseModels = protectedProcedure
  .output(z.array(baseModelViewSchema))
  .query(({ ctx }) => listBaseModels(ctx));
