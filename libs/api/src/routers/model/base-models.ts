import { z } from 'zod';
import { baseModelViewSchema } from '@retune/core';
import { listBaseModels } from '../../domain/models/model-queries';
import { viewerProcedure } from '../../trpc';

/** Registered base models (what model versions are fine-tuned from). */
export const baseModels = viewerProcedure
  .output(z.array(baseModelViewSchema))
  .query(({ ctx }) => listBaseModels(ctx));
