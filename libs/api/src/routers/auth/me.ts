import { z } from 'zod';
import { ROLES } from '@retune/core';
import { viewerProcedure } from '../../trpc';

export const me = viewerProcedure
  .input(z.void())
  .output(
    z.object({
      id: z.string(),
      email: z.string(),
      role: z.enum(ROLES),
      readOnly: z.boolean(),
    }),
  )
  .query(({ ctx }) => ({
    id: ctx.user.id,
    email: ctx.user.email,
    role: ctx.user.role,
    readOnly: ctx.user.readOnly === true,
  }));
