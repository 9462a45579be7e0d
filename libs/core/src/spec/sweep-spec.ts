import { z } from 'zod';
import { gpuBudgetSchema } from './gpu-budget';
import { outcomeConstraintSchema } from './outcome-constraint';
import { pbtConfigSchema, pbtIssues } from './pbt-config';
import { prunerConfigSchema } from './pruner-config';
import { MAX_SEARCHED_PARAMS, searchSpaceSchema } from './search-space';
import { cmaesOptionsSchema, gpOptionsSchema, optunaSamplerIssues } from './optuna-samplers';

export const ALGORITHMS = ['grid', 'random', 'tpe', 'bohb', 'pbt', 'gp', 'cmaes'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export const metricGoalSchema = z.enum(['maximize', 'minimize']);

/** Spellings of `earlyStopping.type` accepted besides the pruners' own names. */
export const PRUNER_TYPE_ALIASES: Readonly<Record<string, string>> = {
  asha: 'successiveHalving',
  none: 'nop',
};
export type MetricGoal = z.infer<typeof metricGoalSchema>;

/**
 * A trainer is a name — built in, or registered by an admin — or an explicit command (argv; the
 * input JSON path is appended), which only admins may launch (docs/security.md).
 */
export const BUILT_IN_TRAINERS = ['tfjs', 'synthetic'] as const;
/** Names of registered trainers: what `retune trainer register NAME` accepts. */
export const TRAINER_NAME = /^[a-z][a-z0-9._-]{0,62}$/;
const TRAINER_HINT = `use { name: ${BUILT_IN_TRAINERS.join(' | ')} | <registered trainer> } or { command: [executable, args…] }`;

export const trainerSpecSchema = z.union(
  [
    /** Built-in trainers: `tfjs` (libs/trainer, the real one) and `synthetic` (a known objective). */
    z
      .object({
        name: z.string().regex(TRAINER_NAME, {
          error: (issue) => `${JSON.stringify(issue.input)} is not a trainer name: ${TRAINER_HINT}`,
        }),
      })
      .strict(),
    z
      .object({
        command: z.array(z.string().min(1)).min(1, 'command needs at least the executable'),
        cwd: z.string().optional(),
        reusable: z
          .boolean()
          .optional()
          .describe(
            'The command takes several trials in one process, one per stdin line (docs/trainer-reuse.md).',
          ),
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
      .max(120, 'names are at most 120 characters')
      .describe('Shown in lists and on the dashboard.'),
    dataset: z
      .string()
      .min(1, 'name a dataset (a folder path or a built-in demo id)')
      .describe('A dataset folder, or a built-in demo id such as demo:mnist-5-9.'),
    baseModel: z
      .string()
      .min(1, 'name a base model (a model.json path/URL or a registered id)')
      .describe(
        'The pretrained model to transfer from: a tfjs model.json path or URL, a registered base model, or demo:mnist-0-4-cnn.',
      ),
    trainer: trainerSpecSchema
      .default({ name: 'tfjs' })
      .describe(
        'The trainer that runs each trial: a built-in name, or a command (argv) speaking the trainer protocol; the input JSON path is appended to it.',
      ),
    metric: z
      .object({
        name: z
          .string()
          .min(1)
          .default('val_acc')
          .describe('A metric the trainer reports every epoch and in its result.'),
        goal: metricGoalSchema.default('maximize'),
      })
      .strict()
      .default({ name: 'val_acc', goal: 'maximize' })
      .describe('The primary objective: early stopping and the best value use it.'),
    searchSpace: searchSpaceSchema.describe(
      `The params to search, by name (a letter or _ first, then letters, digits, _ . -), at least one and at most ${MAX_SEARCHED_PARAMS}.`,
    ),
    algorithm: z
      .enum(ALGORITHMS, {
        error: (issue) =>
          `unknown algorithm ${JSON.stringify(issue.input)}: use one of ${ALGORITHMS.join(', ')}`,
      })
      .describe(
        "How trials are proposed: every grid point, random samples, TPE, BOHB (TPE per Hyperband budget level; needs earlyStopping: { type: hyperband }), pbt (population-based training; see pbt), or Optuna 5's Gaussian-process (gp) or CMA-ES (cmaes) sampler, run by the sampler worker (docs/samplers.md).",
      ),
    pbt: pbtConfigSchema
      .optional()
      .describe(
        'algorithm: pbt only. A population trains in intervals of epochs; at each interval the bottom quantile copies the checkpoint and params of a top member and perturbs or resamples them (docs/pbt.md).',
      ),
    tpe: z
      .object({
        nStartupTrials: z
          .number()
          .int()
          .min(0)
          .max(10_000)
          .default(10)
          .describe('Random trials before TPE takes over.'),
        nEiCandidates: z
          .number()
          .int()
          .min(1)
          .max(10_000)
          .default(24)
          .describe('Candidates TPE scores per proposal.'),
        constantLiar: z
          .boolean()
          .default(true)
          .describe(
            "Running trials count as bad ones, so parallel asks spread out (Optuna's constant_liar).",
          ),
        multivariate: z
          .boolean()
          .default(true)
          .describe(
            "Optuna 5's TPE: a single-objective sweep samples its unconditional params jointly (multivariate TPE). false: the older independent sampler.",
          ),
        skipTried: z
          .boolean()
          .default(true)
          .describe(
            'In a space of choices and ints, never propose params an earlier trial already has (every trial runs with the sweep seed, so a repeat only repeats the result); once every point was tried, repeats are allowed. false: repeats allowed, as in Optuna.',
          ),
      })
      .strict()
      .default({
        nStartupTrials: 10,
        nEiCandidates: 24,
        constantLiar: true,
        multivariate: true,
        skipTried: true,
      })
      .describe("TPE settings (algorithm: tpe, and bohb's model); Optuna's defaults."),
    gp: gpOptionsSchema.optional(),
    cmaes: cmaesOptionsSchema.optional(),
    objectives: z
      .array(z.object({ name: z.string().min(1), goal: metricGoalSchema }).strict())
      .max(4, 'at most 4 extra objectives')
      .default([])
      .describe(
        "More objectives besides metric (multi-objective): each trial's result must report them too, and no name may repeat metric.name. metric stays the primary one (early stopping, best value); the sweep's answer is its Pareto front.",
      ),
    constraints: z
      .array(outcomeConstraintSchema)
      .max(8, 'at most 8 constraints')
      .default([])
      .describe(
        'Outcome constraints on values each trial reports (e.g. { name: trainable_params, max: 1e6 }): a trial that breaks one is infeasible, never the best nor on the Pareto front, and TPE learns to avoid it. A trial whose result lacks a constrained value fails, naming it.',
      ),
    warmStart: z
      .object({
        sweeps: z.array(z.string().min(1)).max(100).optional(),
        maxTrials: z.number().int().min(1).max(10_000).default(500),
      })
      .strict()
      .optional()
      .describe(
        'TPE only. Seed the sampler with finished trials of earlier sweeps: the listed sweep ids, or (without ids) every earlier sweep on the same dataset, base model and metric. They do not count toward maxTrials.',
      ),
    earlyStopping: z
      .preprocess((v) => {
        if (typeof v !== 'object' || v === null || !('type' in v)) return v;
        const type = (v as { type: unknown }).type;
        return typeof type === 'string' && type in PRUNER_TYPE_ALIASES
          ? { ...v, type: PRUNER_TYPE_ALIASES[type] }
          : v;
      }, prunerConfigSchema)
      .default({ type: 'nop' })
      .describe(
        'Early stopping of unpromising trials from their per-epoch metric: asha (alias of successiveHalving: minResource epochs, reductionFactor η), hyperband (brackets of successive halving up to maxResource epochs), median, or none (alias of nop).',
      ),
    maxTrials: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe(
        'How many trials to run: required for random and tpe unless budget.gpuHours is set, a cap for grid.',
      ),
    budget: gpuBudgetSchema.optional(),
    maxParallel: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(1)
      .describe('Trials of this sweep running at once.'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(0)
      .describe(
        "Seeds the sampler; each trial's seed is derived from it and the trial number, so a sweep can be repeated.",
      ),
    fixed: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .default({})
      .describe('Params passed to every trial, not searched; no name may also be in searchSpace.'),
    trialTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .default(3600)
      .describe('A trial running longer fails; the only guard against a trainer that hangs.'),
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(2)
      .describe(
        'How often a trial is re-run after its worker died or lost contact (the retry resumes from the last checkpoint). A trainer that fails on its own is not retried.',
      ),
    heartbeatTimeoutSeconds: z
      .number()
      .int()
      .min(2)
      .max(3600)
      .default(30)
      .describe(
        'A worker silent for this long is presumed dead and its trial moves to another worker.',
      ),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (
      spec.algorithm !== 'grid' &&
      spec.algorithm !== 'pbt' &&
      spec.maxTrials === undefined &&
      !spec.budget
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxTrials'],
        message: `${spec.algorithm} search needs maxTrials (how many trials to sample) or budget: { gpuHours }`,
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
    if (spec.algorithm === 'bohb' && spec.earlyStopping?.type !== 'hyperband') {
      ctx.addIssue({
        code: 'custom',
        path: ['earlyStopping'],
        message:
          'algorithm bohb runs on Hyperband brackets: set earlyStopping: { type: hyperband, maxResource: <epochs of a full trial> }',
      });
    }
    if (spec.algorithm === 'bohb' && spec.objectives.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['objectives'],
        message: 'algorithm bohb optimises one metric: remove objectives or use algorithm: tpe',
      });
    }
    if (spec.pbt && spec.algorithm !== 'pbt') {
      ctx.addIssue({
        code: 'custom',
        path: ['pbt'],
        message: 'pbt settings need algorithm: pbt (or remove pbt)',
      });
    }
    if (spec.algorithm === 'pbt') {
      for (const issue of pbtIssues(spec)) ctx.addIssue({ code: 'custom', ...issue });
    }
    spec.constraints.forEach((c, i) => {
      if (spec.constraints.findIndex((x) => x.name === c.name) < i) {
        ctx.addIssue({
          code: 'custom',
          path: ['constraints', i, 'name'],
          message: `constraint "${c.name}" is listed twice: put max and min in one entry`,
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
    for (const issue of optunaSamplerIssues(spec)) ctx.addIssue({ code: 'custom', ...issue });
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
