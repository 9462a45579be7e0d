import { z } from 'zod';
import { BUILT_IN_TRAINERS } from '@retune/core';
import { listTrainers, registerTrainer } from '../../domain/trainers/trainers';
import { adminProcedure, router, viewerProcedure } from '../../trpc';

const trainerViewSchema = z.object({
  name: z.string(),
  command: z.array(z.string()),
  cwd: z.string().nullable(),
  reusable: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const trainerRouter = router({
  /** Registered trainers (what sweeps may name), and the built-in names. */
  list: viewerProcedure
    .input(z.void())
    .output(z.object({ builtIn: z.array(z.string()), registered: z.array(trainerViewSchema) }))
    .query(async ({ ctx }) => ({
      builtIn: [...BUILT_IN_TRAINERS],
      registered: await listTrainers(ctx.repos),
    })),
  register: adminProcedure
    .meta({ audit: true })
    .input(
      z.object({
        name: z.string().min(1).max(63),
        command: z.array(z.string().max(4096)).min(1).max(256),
        cwd: z.string().max(4096).optional(),
        /** Takes several trials in one process (serve mode, docs/trainer-reuse.md). */
        reusable: z.boolean().optional(),
      }),
    )
    .output(trainerViewSchema)
    .mutation(({ ctx, input }) => registerTrainer(ctx.repos, input, ctx.user.email)),
});
