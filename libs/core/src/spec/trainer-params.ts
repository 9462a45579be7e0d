import { closestName } from '../text/closest-name';
import type { SweepSpec } from './sweep-spec';

/**
 * The params each built-in trainer reads: one list, used by launch validation (here) and by the
 * tfjs trainer's own parser (libs/trainer/src/params.ts), so launch needs no TensorFlow.js.
 */
export const TFJS_TRAINER_PARAMS = [
  'epochs',
  'batchSize',
  'lr',
  'headLr',
  'baseLr',
  'optimizer',
  'momentum',
  'freezeDepth',
  'unfreezeEvery',
  'unfreezeLayers',
  'units',
  'dropout',
  'augment',
  'augFlip',
  'augRotate',
  'augZoom',
  'augShift',
  'augBrightness',
  'augContrast',
  'augNoise',
  'trainPerClass',
  'valPerClass',
  'dataSeed',
  'valFraction',
  /** The base layer to cut at (its output feeds the head); overrides the base's metadata. */
  'baseOutputLayer',
  /** BatchNorm of the base: `frozen` (inference mode, the default) or `train`. */
  'bnMode',
  /** Head: `gap` (global average pooling) or `flatten`. */
  'head',
  /** Multi-task (docs/multitask.md): comma-separated task names; absent = single-task. */
  'tasks',
  /** One weight per task (`1,0.5`), a number w (= 1,w,w,…), or `auto` (uncertainty weighting). */
  'taskWeights',
  /** Base layers with weights shared before the per-task towers split (default: all). */
  'shareDepth',
  /** `hard` (default) or `soft` (L2 penalty between corresponding tower variables). */
  'sharing',
  /** Strength of soft sharing's penalty (default 0.01). */
  'softPenalty',
] as const;
export type TfjsTrainerParam = (typeof TFJS_TRAINER_PARAMS)[number];

/** The synthetic trainer stands in for tfjs (same params) and adds its own control knobs. */
export const SYNTHETIC_TRAINER_PARAMS = [
  ...TFJS_TRAINER_PARAMS,
  'sleepMs',
  'crashAtEpoch',
  /** `shifting-lr`: the best learning rate falls during training (trainers/synthetic). */
  'landscape',
  'horizon',
] as const;

export const BUILT_IN_TRAINER_PARAMS: Record<'tfjs' | 'synthetic', readonly string[]> = {
  tfjs: TFJS_TRAINER_PARAMS,
  synthetic: SYNTHETIC_TRAINER_PARAMS,
};

/** Names people reach for that edit distance would not map to the param they mean. */
const PARAM_ALIASES: Record<string, string> = {
  strategy: 'freezeDepth',
  freeze: 'freezeDepth',
  freezeStrategy: 'freezeDepth',
  learningRate: 'lr',
  batch: 'batchSize',
  batchNorm: 'bnMode',
};

/** The known param a misspelled or guessed `name` most likely means. */
export function suggestParam(name: string, known: readonly string[]): string | undefined {
  const alias = PARAM_ALIASES[name];
  return alias && known.includes(alias) ? alias : closestName(name, known);
}

/**
 * Params in `fixed` or `searchSpace` that a built-in trainer does not read, each as a spec issue
 * naming the field and the closest known param. Command trainers define their own params.
 */
export function unknownTrainerParamIssues(
  spec: Pick<SweepSpec, 'trainer' | 'fixed' | 'searchSpace'>,
): { path: string; message: string }[] {
  if (!('name' in spec.trainer)) return [];
  const trainer = spec.trainer.name;
  // A registered trainer is a command under a name: like any command, it defines its own params.
  if (!Object.hasOwn(BUILT_IN_TRAINER_PARAMS, trainer)) return [];
  const known = BUILT_IN_TRAINER_PARAMS[trainer as keyof typeof BUILT_IN_TRAINER_PARAMS];
  const fields = [
    ...Object.keys(spec.searchSpace).map((k) => ({ section: 'searchSpace', key: k })),
    ...Object.keys(spec.fixed).map((k) => ({ section: 'fixed', key: k })),
  ];
  return fields
    .filter(({ key }) => !known.includes(key))
    .map(({ section, key }) => {
      const suggestion = suggestParam(key, known);
      return {
        path: `${section}.${key}`,
        message:
          `the ${trainer} trainer has no param "${key}"` +
          (suggestion ? `: did you mean "${suggestion}"? Rename it` : ': remove it') +
          `, or use a command trainer ({ command: [...] }) for params of your own`,
      };
    });
}
