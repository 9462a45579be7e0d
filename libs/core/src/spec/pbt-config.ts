import { z } from 'zod';
import type { SearchSpace } from './search-space';

/** What a trainer runs when a spec does not fix `epochs` (both built-in trainers agree). */
export const TRAINER_DEFAULT_EPOCHS = 5;

/** Population-based training (`algorithm: pbt`): see search/pbt.ts and docs/pbt.md. */
export const pbtConfigSchema = z
  .object({
    population: z
      .number()
      .int()
      .min(2, 'a population needs at least 2 members (one to copy, one to be copied)')
      .max(256, 'at most 256 members')
      .default(8)
      .describe('Members trained side by side; each runs every interval of `epochs`.'),
    interval: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe(
        'Epochs between exploit/explore decisions; at most `epochs` (fixed.epochs, default 5).',
      ),
    quantile: z
      .number()
      .gt(0)
      .max(0.5, 'quantile is at most 0.5: the bottom and top fractions must not overlap')
      .default(0.25)
      .describe('The bottom fraction copies a member of the top fraction at each interval.'),
    perturbFactors: z
      .tuple([z.number().positive(), z.number().positive()])
      .default([0.8, 1.2])
      .describe(
        'Explore: a copied numeric param is multiplied by one of these (clamped to its range); a choice moves to a neighbouring value.',
      ),
    resampleProbability: z
      .number()
      .min(0)
      .max(1)
      .default(0.25)
      .describe('Explore: the chance a copied param is drawn afresh from its range instead.'),
    mutable: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'The searched params explore may change (learning rates, augmentation strength, unfreezing schedule…); default: all of searchSpace. The others stay as copied.',
      ),
  })
  .strict();

export type PbtConfig = z.output<typeof pbtConfigSchema>;

/** The config a pbt spec runs with (its own, or the defaults). */
export const pbtConfigOf = (spec: { pbt?: PbtConfig | undefined }): PbtConfig =>
  spec.pbt ?? pbtConfigSchema.parse({});

/** The epochs every member trains: fixed.epochs, or the trainers' default. */
export function pbtEpochs(fixed: Readonly<Record<string, unknown>>): number {
  return typeof fixed.epochs === 'number' ? fixed.epochs : TRAINER_DEFAULT_EPOCHS;
}

/** Launch-time problems of a pbt spec, each naming its field and the fix. */
export function pbtIssues(spec: {
  pbt?: PbtConfig | undefined;
  searchSpace: SearchSpace;
  fixed: Readonly<Record<string, unknown>>;
  maxTrials?: number | undefined;
  objectives: readonly unknown[];
  earlyStopping?: { type: string } | undefined;
}): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const config = pbtConfigOf(spec);
  const epochs = pbtEpochs(spec.fixed);
  if ('epochs' in spec.searchSpace) {
    issues.push({
      path: ['searchSpace', 'epochs'],
      message: 'pbt members all train the same epochs: move epochs to fixed',
    });
  }
  if (config.interval > epochs) {
    issues.push({
      path: ['pbt', 'interval'],
      message: `interval ${config.interval} is longer than epochs (${epochs}${'epochs' in spec.fixed ? '' : ', the default'}): use an interval of at most ${epochs} or raise fixed.epochs`,
    });
  }
  (config.mutable ?? []).forEach((name, i) => {
    if (!(name in spec.searchSpace)) {
      issues.push({
        path: ['pbt', 'mutable', i],
        message: `"${name}" is not in searchSpace: PBT can only change searched params (${Object.keys(spec.searchSpace).join(', ')})`,
      });
    }
  });
  for (const [name, param] of Object.entries(spec.searchSpace)) {
    if ('when' in param && param.when) {
      issues.push({
        path: ['searchSpace', name, 'when'],
        message: 'pbt does not search conditional params: remove when, or use algorithm tpe',
      });
    }
  }
  if (spec.maxTrials !== undefined) {
    issues.push({
      path: ['maxTrials'],
      message:
        'pbt runs pbt.population members for fixed.epochs each (one trial per member and interval): remove maxTrials',
    });
  }
  if (spec.objectives.length > 0) {
    issues.push({
      path: ['objectives'],
      message: 'pbt ranks members by one metric: remove objectives or use algorithm: tpe',
    });
  }
  if (spec.earlyStopping && spec.earlyStopping.type !== 'nop') {
    issues.push({
      path: ['earlyStopping'],
      message: 'pbt replaces weak members itself at each interval: remove earlyStopping',
    });
  }
  return issues;
}
