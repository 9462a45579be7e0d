import { z } from 'zod';
import {
  datasetSnapshotViewSchema,
  modelVersionViewSchema,
  retrainRunViewSchema,
} from '@retune/core';
import { getModelVersion } from '../../domain/models/model-queries';
import { viewerProcedure } from '../../trpc';

/** One model version with its lineage (retrain run, dataset snapshot). */
export const get = viewerProcedure
  .input(z.object({ id: z.string().min(1).max(64) }))
  .output(
    modelVersionViewSchema.extend({
      run: retrainRunViewSchema.nullable(),
      snapshot: datasetSnapshotViewSchema.nullable(),
    }),
  )
  .query(({ ctx, input }) => getModelVersion(ctx, input.id));
