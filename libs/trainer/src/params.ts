import { z } from 'zod';
import {
  readMultiTaskParams,
  TFJS_TRAINER_PARAMS,
  type MultiTaskSettings,
  type TfjsTrainerParam,
} from '@retune/core';
import { AUGMENT_PRESETS, type AugmentParams } from './augment';
import type { BnMode } from './freeze';
import type { HeadPooling } from './model';

export const FREEZE_STRATEGIES = ['feature-extraction', 'partial', 'full'] as const;
export type FreezeStrategy = (typeof FREEZE_STRATEGIES)[number];
/** A layer count (integer ≥ 0), a fraction (non-integer in (0, 1)), or a named strategy. */
export type FreezeDepth = number | FreezeStrategy;

const posInt = z.number().int().min(1);
const lr = z.number().positive().max(10);
const strength = z.number().min(0);

const paramsSchema = z
  .object({
    epochs: posInt.max(10_000).default(5),
    batchSize: posInt.max(65_536).default(32),
    lr: lr.optional(),
    headLr: lr.optional(),
    baseLr: lr.optional(),
    optimizer: z.enum(['adam', 'sgd']).default('adam'),
    momentum: z.number().min(0).max(0.999).default(0),
    freezeDepth: z.union([z.number().min(0), z.enum(FREEZE_STRATEGIES)]).default('partial'),
    unfreezeEvery: z.number().int().min(0).default(0),
    unfreezeLayers: posInt.default(1),
    bnMode: z.enum(['frozen', 'train']).optional(),
    head: z.enum(['gap', 'flatten']).default('gap'),
    units: posInt.max(4096).default(64),
    dropout: z.number().min(0).max(0.95).default(0.3),
    augment: z.enum(['none', 'light', 'heavy']).default('none'),
    augFlip: z.number().min(0).max(1).optional(),
    augRotate: strength.max(180).optional(),
    augZoom: strength.max(0.9).optional(),
    augShift: strength.max(0.5).optional(),
    augBrightness: strength.max(1).optional(),
    augContrast: strength.max(1).optional(),
    augNoise: strength.max(1).optional(),
    trainPerClass: posInt.optional(),
    valPerClass: posInt.optional(),
    dataSeed: z.number().int().default(0),
    valFraction: z.number().gt(0).lt(1).default(0.2),
    baseOutputLayer: z.string().min(1).optional(),
    // Multi-task params: checked and read by core's readMultiTaskParams (docs/multitask.md).
    tasks: z.string().optional(),
    taskWeights: z.union([z.string(), z.number()]).optional(),
    shareDepth: z.number().optional(),
    sharing: z.string().optional(),
    softPenalty: z.number().optional(),
  })
  .strict();

export interface TrainParams {
  epochs: number;
  batchSize: number;
  headLr: number;
  baseLr: number;
  optimizer: 'adam' | 'sgd';
  momentum: number;
  freezeDepth: FreezeDepth;
  unfreezeEvery: number;
  unfreezeLayers: number;
  /**
   * `frozen`: the base's BatchNorm layers always run in inference mode (their γ/β may learn);
   * `train`: unfrozen BatchNorm normalises with batch statistics and updates its moving averages.
   * Unset: `frozen` for a pretrained base, `train` for one trained from scratch (see run.ts).
   */
  bnMode: BnMode | undefined;
  /** Pooling of a convolutional base output before the head: global average (`gap`) or `flatten`. */
  head: HeadPooling;
  units: number;
  dropout: number;
  augment: AugmentParams;
  trainPerClass: number | undefined;
  valPerClass: number | undefined;
  dataSeed: number;
  /** Validation fraction of an image folder without a `val/` folder. */
  valFraction: number;
  /** The base layer to cut at (its output feeds the head); overrides the base's metadata. */
  baseOutputLayer: string | undefined;
  /** Multi-task training (docs/multitask.md); undefined = single-task. */
  multiTask: MultiTaskSettings | undefined;
}

/** The params launch lets through for this trainer: one list, in core (no tfjs needed there). */
export const KNOWN_PARAMS: readonly string[] = TFJS_TRAINER_PARAMS;
/** Compile-time check: a param the schema reads but core's list lacks would be refused at launch. */
type InCoreList<K extends TfjsTrainerParam> = K;
export type TfjsSchemaParam = InCoreList<keyof typeof paramsSchema.shape>;

/**
 * Validates trial params. Unknown keys are returned (not rejected) so that a sweep may carry
 * bookkeeping params; the trainer reports them as a warning.
 */
export function parseParams(raw: Record<string, unknown>): {
  params: TrainParams;
  unknown: string[];
} {
  const unknown = Object.keys(raw).filter((k) => !KNOWN_PARAMS.includes(k));
  const known = Object.fromEntries(Object.entries(raw).filter(([k]) => KNOWN_PARAMS.includes(k)));
  const parsed = paramsSchema.safeParse(known);
  if (!parsed.success) {
    const msg = parsed.error.issues
      .map((i) => `params.${i.path.join('.')}: ${i.message}`)
      .join('; ');
    throw new Error(`invalid trainer params: ${msg}`);
  }
  const p = parsed.data;
  const multiTask = readMultiTaskParams(known);
  const headLr = p.headLr ?? p.lr ?? 1e-3;
  const preset = AUGMENT_PRESETS[p.augment];
  return {
    unknown,
    params: {
      epochs: p.epochs,
      batchSize: p.batchSize,
      headLr,
      baseLr: p.baseLr ?? headLr / 10,
      optimizer: p.optimizer,
      momentum: p.momentum,
      freezeDepth: p.freezeDepth,
      unfreezeEvery: p.unfreezeEvery,
      unfreezeLayers: p.unfreezeLayers,
      bnMode: p.bnMode,
      head: p.head,
      units: p.units,
      dropout: p.dropout,
      augment: {
        flip: p.augFlip ?? preset.flip,
        rotate: p.augRotate ?? preset.rotate,
        zoom: p.augZoom ?? preset.zoom,
        shift: p.augShift ?? preset.shift,
        brightness: p.augBrightness ?? preset.brightness,
        contrast: p.augContrast ?? preset.contrast,
        noise: p.augNoise ?? preset.noise,
      },
      trainPerClass: p.trainPerClass,
      valPerClass: p.valPerClass,
      dataSeed: p.dataSeed,
      valFraction: p.valFraction,
      baseOutputLayer: p.baseOutputLayer,
      multiTask,
    },
  };
}
