import { z } from 'zod';
import type { DomainDeps } from './deps';

export const sweepFormOptionsSchema = z.object({
  datasets: z.array(z.object({ id: z.string(), label: z.string() })),
  baseModels: z.array(z.object({ id: z.string(), label: z.string() })),
});
export type SweepFormOptions = z.infer<typeof sweepFormOptionsSchema>;

// The built-in demo data and models the tfjs trainer knows (libs/trainer); the form offers them
// first and still accepts any folder path or model.json URL typed in.
const DEMO_DATASETS = [
  { id: 'demo:mnist-5-9', label: 'MNIST digits 5–9 (demo)' },
  { id: 'demo:mnist-5-9-inverted', label: 'MNIST 5–9, inverted colours (demo)' },
  { id: 'demo:mnist-5-9-noisy', label: 'MNIST 5–9 with noise (demo)' },
  { id: 'demo:fashion', label: 'Fashion-MNIST, 10 classes (demo)' },
  { id: 'demo:fashion-5-9', label: 'Fashion-MNIST classes 5–9 (demo)' },
  { id: 'demo:fashion-5-9-inverted', label: 'Fashion-MNIST 5–9, inverted (demo)' },
];
const DEMO_BASE_MODELS = [
  { id: 'demo:mnist-0-4-cnn', label: 'CNN pretrained on digits 0–4 (demo)' },
  { id: 'demo:scratch', label: 'untrained CNN (demo)' },
  // Named real backbones (libs/trainer/src/bases/registry.ts), downloaded on first use.
  { id: 'imagenet:efficientnet-lite0@128', label: 'EfficientNet-Lite0, ImageNet, 128×128' },
  { id: 'imagenet:efficientnet-lite0', label: 'EfficientNet-Lite0, ImageNet, 224×224' },
  {
    id: 'imagenet-ft:mobilenet-v2',
    label: 'MobileNetV2 (nsfwjs: ImageNet, then tuned on another task; 8-bit), 224×224',
  },
];

/** Choices for the new-sweep form: demo datasets, demo base models and registered base models. */
export async function getSweepFormOptions(
  deps: Pick<DomainDeps, 'repos'>,
): Promise<SweepFormOptions> {
  const registered = await deps.repos.baseModels.list();
  return {
    datasets: DEMO_DATASETS,
    baseModels: [
      ...DEMO_BASE_MODELS,
      ...registered.map((m) => ({ id: m.name, label: `${m.name} — ${m.source}` })),
    ],
  };
}
