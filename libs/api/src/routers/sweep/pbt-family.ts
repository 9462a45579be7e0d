import { z } from 'zod';
import { getPbtFamily } from '../../domain/pbt-family';
import { viewerProcedure } from '../../trpc';

const paramValue = z.union([z.string(), z.number(), z.boolean()]);

export const pbtFamily = viewerProcedure
  .input(z.object({ id: z.string().min(1).max(64) }))
  .output(
    z.object({
      generations: z.number().int(),
      searched: z.array(z.string()),
      nodes: z.array(
        z.object({
          trial: z.number().int(),
          member: z.number().int(),
          generation: z.number().int(),
          parent: z.number().int().nullable(),
          copied: z.boolean(),
          status: z.string(),
          objective: z.number().nullable(),
        }),
      ),
      exploits: z.array(
        z.object({
          generation: z.number().int(),
          epoch: z.number().int(),
          member: z.number().int(),
          copiedFrom: z.number().int(),
          fromTrial: z.number().int(),
          toTrial: z.number().int(),
          changes: z.record(
            z.string(),
            z.object({ from: paramValue, to: paramValue, how: z.string() }),
          ),
        }),
      ),
      schedules: z.array(
        z.object({
          member: z.number().int(),
          finalTrial: z.number().int(),
          objective: z.number().nullable(),
          steps: z.array(
            z.object({
              trial: z.number().int(),
              member: z.number().int(),
              startEpoch: z.number().int(),
              endEpoch: z.number().int(),
              params: z.record(z.string(), paramValue),
            }),
          ),
        }),
      ),
    }),
  )
  .query(({ ctx, input }) => getPbtFamily(ctx, input.id));
