import { z } from 'zod';

/**
 * What a trial process trains on, sent once by the trainer as the optional `device` field of
 * a `log` message (older workers and trainers simply leave it out).
 */
export const deviceFactsSchema = z
  .object({
    /** `tensorflow` (native), `cpu` (pure-JS tfjs), `cuda` or `cpu` for PyTorch… */
    backend: z.string().min(1),
    /** `CPU`, or the GPU's name as the driver reports it, e.g. "NVIDIA H200". */
    device: z.string().min(1),
    /** `tensorflow`, `tfjs` or `torch`. */
    framework: z.string().min(1),
    frameworkVersion: z.string().min(1),
    cuda: z.string().min(1).optional(),
    cudnn: z.string().min(1).optional(),
  })
  .strict();

export type DeviceFacts = z.infer<typeof deviceFactsSchema>;

/** One line for logs and the trial page: "tensorflow on NVIDIA H200 (tensorflow 2.20.0, CUDA 12.5, cuDNN 9.3.0)". */
export function describeDeviceFacts(f: DeviceFacts): string {
  const versions = [
    `${f.framework} ${f.frameworkVersion}`,
    f.cuda && `CUDA ${f.cuda}`,
    f.cudnn && `cuDNN ${f.cudnn}`,
  ].filter(Boolean);
  return `${f.backend} on ${f.device} (${versions.join(', ')})`;
}
