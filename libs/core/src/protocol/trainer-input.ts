import { z } from 'zod';

/** The JSON file handed to a trainer (its path is the last argv entry and RETUNE_TRAINER_INPUT). */
export const trainerInputSchema = z
  .object({
    trialId: z.string().min(1),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    baseModel: z.string(),
    dataset: z.string(),
    checkpointDir: z.string(),
    resumeFrom: z.string().optional(),
    seed: z.number().int(),
    device: z.object({ kind: z.enum(['cpu', 'gpu']), index: z.number().int().min(0).optional() }),
  })
  .strict();

export type TrainerInput = z.infer<typeof trainerInputSchema>;
