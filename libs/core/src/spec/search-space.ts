import { z } from 'zod';

/** One dimension of the search space. `gridPoints` says how a continuous range is cut for grid search. */
export const choiceParamSchema = z
  .object({
    type: z.literal('choice'),
    values: z
      .array(z.union([z.string(), z.number(), z.boolean()]))
      .min(1, 'a choice needs at least one value'),
  })
  .strict();

export const intParamSchema = z
  .object({
    type: z.literal('int'),
    min: z.number().int(),
    max: z.number().int(),
    step: z.number().int().positive().default(1),
  })
  .strict()
  .refine((p) => p.max >= p.min, { message: 'max must be >= min', path: ['max'] });

const continuous = <T extends 'uniform' | 'loguniform'>(type: T) =>
  z
    .object({
      type: z.literal(type),
      min: z.number().finite(),
      max: z.number().finite(),
      gridPoints: z.number().int().min(1).max(1000).optional(),
    })
    .strict()
    .refine((p) => p.max >= p.min, { message: 'max must be >= min', path: ['max'] });

export const uniformParamSchema = continuous('uniform');
export const logUniformParamSchema = continuous('loguniform').refine((p) => p.min > 0, {
  message: 'loguniform needs min > 0 (use uniform for ranges that include 0)',
  path: ['min'],
});

export const paramSchema = z.union([
  choiceParamSchema,
  intParamSchema,
  uniformParamSchema,
  logUniformParamSchema,
]);

export type ParamSpec = z.infer<typeof paramSchema>;
export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export const searchSpaceSchema = z.record(z.string(), paramSchema).superRefine((space, ctx) => {
  const names = Object.keys(space);
  if (names.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message:
        'the search space is empty: add at least one parameter, e.g. headLr: {type: loguniform, min: 1e-4, max: 1e-1}',
    });
  }
  for (const name of names) {
    if (!PARAM_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `parameter name "${name}" must start with a letter or _ and contain only letters, digits, _ . - (max 64)`,
      });
    }
  }
});

export type SearchSpace = z.infer<typeof searchSpaceSchema>;
