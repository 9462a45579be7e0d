import { z } from 'zod';
import { conditionIssues } from './conditions';

const paramValueSchema = z.union([z.string(), z.number(), z.boolean()]);

/**
 * `when: { other: value | [values] }`: the param is searched only while every named param is
 * active and holds one of the given values (see spec/conditions.ts); otherwise it is absent
 * from the trial's params.
 */
export const whenSchema = z
  .record(z.string(), z.union([paramValueSchema, z.array(paramValueSchema).min(1)]))
  .refine((w) => Object.keys(w).length > 0, {
    message: 'when needs at least one condition, e.g. when: { optimizer: sgd }',
  })
  .describe(
    'Makes the param conditional: it is searched only while every named param is active and holds one of the given values.',
  );

/** One dimension of the search space. `gridPoints` says how a continuous range is cut for grid search. */
export const choiceParamSchema = z
  .object({
    type: z.literal('choice'),
    values: z
      .array(paramValueSchema)
      .min(1, 'a choice needs at least one value')
      .describe('The values to choose from.'),
    when: whenSchema.optional(),
  })
  .strict();

export const intParamSchema = z
  .object({
    type: z.literal('int'),
    min: z.number().int(),
    max: z.number().int(),
    step: z.number().int().positive().default(1),
    log: z
      .boolean()
      .optional()
      .describe('Sample on a log scale (like loguniform, rounded); needs min >= 1 and step 1.'),
    gridPoints: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'Grid search only: this many (geometrically, with log) spaced values instead of every step.',
      ),
    when: whenSchema.optional(),
  })
  .strict()
  .refine((p) => p.max >= p.min, { message: 'max must be >= min', path: ['max'] })
  .refine((p) => !p.log || p.min >= 1, {
    message: 'a log-scale int needs min >= 1',
    path: ['min'],
  })
  .refine((p) => !p.log || p.step === 1, {
    message: 'a log-scale int takes every integer: leave step at 1',
    path: ['step'],
  });

const continuous = <T extends 'uniform' | 'loguniform'>(type: T) =>
  z
    .object({
      type: z.literal(type),
      min: z.number().finite(),
      max: z.number().finite(),
      gridPoints: z
        .number()
        .int()
        .min(1)
        .max(1000)
        .optional()
        .describe('Grid search needs it: how many values the range is cut into.'),
      when: whenSchema.optional(),
    })
    .strict()
    .refine((p) => p.max >= p.min, { message: 'max must be >= min', path: ['max'] });

export const uniformParamSchema = continuous('uniform');
export const logUniformParamSchema = continuous('loguniform').refine((p) => p.min > 0, {
  message: 'loguniform needs min > 0 (use uniform for ranges that include 0)',
  path: ['min'],
});

export const paramSchema = z.discriminatedUnion('type', [
  choiceParamSchema,
  intParamSchema,
  uniformParamSchema,
  logUniformParamSchema,
]);

export type ParamSpec = z.infer<typeof paramSchema>;
export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** No sampler learns anything over more knobs than this; a bigger space is almost surely a mistake. */
export const MAX_SEARCHED_PARAMS = 64;

export const searchSpaceSchema = z.record(z.string(), paramSchema).superRefine((space, ctx) => {
  const names = Object.keys(space);
  if (names.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message:
        'the search space is empty: add at least one parameter, e.g. headLr: {type: loguniform, min: 1e-4, max: 1e-1}',
    });
  }
  if (names.length > MAX_SEARCHED_PARAMS) {
    ctx.addIssue({
      code: 'custom',
      message: `the search space has ${names.length} parameters; at most ${MAX_SEARCHED_PARAMS} can be searched (move the rest to fixed)`,
    });
    return;
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
  for (const issue of conditionIssues(space)) ctx.addIssue({ code: 'custom', ...issue });
});

export type SearchSpace = z.infer<typeof searchSpaceSchema>;
