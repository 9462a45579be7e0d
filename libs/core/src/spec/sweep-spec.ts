import { z } from 'zod';
import { prunerConfigSchema } from './pruner-config';
import { searchSpaceSchema } from './search-space';

export const ALGORITHMS = ['grid', 'random', 'tpe'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export const metricGoalSchema = z.enum(['maximize', 'minimize']);
export type MetricGoal = z.infer<typeof metricGoalSchema>;

/** A trainer is either a built-in name or an explicit command (argv; the input JSON path is appended). */
const BUILT_IN_TRAINERS = ['tfjs', 'synthetic'] as const;
const TRAINER_HINT = `use { name: ${BUILT_IN_TRAINERS.join(' | ')} } or { command: [executable, args…] }`;

export const trainerSpecSchema = z.union(
  [
    /** Built-in trainers: `tfjs` (libs/trainer, the real one) and `synthetic` (a known objective). */
    z.object({ name: z.enum(BUILT_IN_TRAINERS) }).strict(),
    z
      .object({
        command: z.array(z.string().min(1)).min(1, 'command needs at least the executable'),
        cwd: z.string().optional(),
      })
      .strict(),
  ],
  {
    error: (issue) => {
      const input = issue.input as { name?: unknown } | undefined;
      return typeof input === 'object' && input !== null && 'name' in input
        ? `unknown trainer ${JSON.stringify(input.name)}: ${TRAINER_HINT}`
        : `not a trainer: ${TRAINER_HINT}`;
    },
  },
);
export type TrainerSpec = z.infer<typeof trainerSpecSchema>;

export const sweepSpecSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'give the sweep a name')
      .max(120, 'names are at most 120 characters'),
    dataset: z.string().min(1, 'name a dataset (a folder path or a built-in demo id)'),
    baseModel: z.string().min(1, 'name a base model (a model.json path/URL or a registered id)'),
    trainer: trainerSpecSchema.default({ name: 'tfjs' }),
    metric: z
      .object({
        name: z.string().min(1).default('val_acc'),
        goal: metricGoalSchema.default('maximize'),
      })
      .strict()
      .default({ name: 'val_acc', goal: 'maximize' }),
    searchSpace: searchSpaceSchema,
    algorithm: z.enum(ALGORITHMS, {
      error: (issue) =>
        `unknown algorithm ${JSON.stringify(issue.input)}: use one of ${ALGORITHMS.join(', ')}`,
    }),
    /** TPE settings (algorithm: tpe); Optuna's defaults. */
    tpe: z
      .object({
        /** Random trials before TPE takes over. */
        nStartupTrials: z.number().int().min(0).max(10_000).default(10),
        nEiCandidates: z.number().int().min(1).max(10_000).default(24),
        /** Running trials count as bad ones, so parallel asks spread out (Optuna's constant_liar). */
        constantLiar: z.boolean().default(true),
      })
      .strict()
      .default({ nStartupTrials: 10, nEiCandidates: 24, constantLiar: true }),
    /**
     * More objectives besides `metric` (multi-objective): each trial's result must report them
     * too. `metric` stays the primary one (early stopping, best value); the sweep's answer is its
     * Pareto front.
     */
    objectives: z
      .array(z.object({ name: z.string().min(1), goal: metricGoalSchema }).strict())
      .max(4, 'at most 4 extra objectives')
      .default([]),
    /**
     * Seed the sampler with finished trials of earlier sweeps: the listed sweep ids, or (without
     * ids) every earlier sweep on the same dataset, base model and metric. Only TPE learns from
     * them; they do not count toward maxTrials.
     */
    warmStart: z
      .object({
        sweeps: z.array(z.string().min(1)).max(100).optional(),
        maxTrials: z.number().int().min(1).max(10_000).default(500),
      })
      .strict()
      .optional(),
    /**
     * Early stopping of unpromising trials from their per-epoch metric: `asha` (successive
     * halving: minResource epochs, reductionFactor η), `median`, or `none`.
     */
    earlyStopping: z
      .preprocess((v) => {
        if (typeof v !== 'object' || v === null || !('type' in v)) return v;
        const alias: Record<string, string> = { asha: 'successiveHalving', none: 'nop' };
        const type = (v as { type: unknown }).type;
        return typeof type === 'string' && type in alias ? { ...v, type: alias[type] } : v;
      }, prunerConfigSchema)
      .default({ type: 'nop' }),
    maxTrials: z.number().int().min(1).max(100_000).optional(),
    maxParallel: z.number().int().min(1).max(1024).default(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(0),
    /** Fixed params passed to every trial (not searched). */
    fixed: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    trialTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .default(3600),
    /**
     * How often a trial is re-run after its worker died or lost contact (the retry resumes from
     * the last checkpoint). A trainer that fails on its own is not retried.
     */
    maxRetries: z.number().int().min(0).max(20).default(2),
    /** A worker silent for this long is presumed dead and its trial moves to another worker. */
    heartbeatTimeoutSeconds: z.number().int().min(2).max(3600).default(30),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.algorithm !== 'grid' && spec.maxTrials === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxTrials'],
        message: `${spec.algorithm} search needs maxTrials (how many trials to sample)`,
      });
    }
    spec.objectives.forEach((o, i) => {
      if (o.name === spec.metric.name || spec.objectives.findIndex((x) => x.name === o.name) < i) {
        ctx.addIssue({
          code: 'custom',
          path: ['objectives', i, 'name'],
          message: `objective "${o.name}" is listed twice (metric.name is already the first objective)`,
        });
      }
    });
    if (spec.warmStart && spec.algorithm !== 'tpe') {
      ctx.addIssue({
        code: 'custom',
        path: ['warmStart'],
        message: `only TPE learns from earlier trials: set algorithm: tpe or remove warmStart`,
      });
    }
    for (const key of Object.keys(spec.fixed)) {
      if (key in spec.searchSpace) {
        ctx.addIssue({
          code: 'custom',
          path: ['fixed', key],
          message: `"${key}" is both fixed and searched: remove it from one of fixed or searchSpace`,
        });
      }
    }
  });

export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
export type SweepSpec = z.output<typeof sweepSpecSchema>;

export class SpecError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(
      'invalid sweep spec:\n' +
        issues.map((i) => `  - ${i.path || '(spec)'}: ${i.message}`).join('\n'),
    );
    this.name = 'SpecError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** Parses `input` with `schema`; throws a SpecError whose lines name each bad field. */
export function parseWithSpecError<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new SpecError(
      parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  }
  return parsed.data;
}

/** Validates a spec; throws a SpecError whose lines name each bad field. */
export function parseSweepSpec(input: unknown): SweepSpec {
  return parseWithSpecError(sweepSpecSchema, input);
}
