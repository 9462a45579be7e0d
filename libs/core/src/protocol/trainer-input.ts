import { z } from 'zod';
import { baseModelMetaSchema } from './base-model-meta';

/** The JSON file handed to a trainer (its path is the last argv entry and RETUNE_TRAINER_INPUT). */
export const trainerInputSchema = z
  .object({
    trialId: z.string().min(1),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    baseModel: z.string(),
    /** What the worker knows about the base (registry row or built-in); trainers may ignore it. */
    baseModelMeta: baseModelMetaSchema.optional(),
    dataset: z.string(),
    checkpointDir: z.string(),
    resumeFrom: z.string().optional(),
    seed: z.number().int(),
    device: z.object({ kind: z.enum(['cpu', 'gpu']), index: z.number().int().min(0).optional() }),
  })
  .strict();

export type TrainerInput = z.infer<typeof trainerInputSchema>;
