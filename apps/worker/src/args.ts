import type { SlotConfig } from '@retune/activities';

export interface WorkerArgs {
  slots: SlotConfig;
  queues: { control: boolean; gpu: boolean };
  /** `--gpus auto`: the slots are the GPUs nvidia-smi lists (resolveSlots in gpu-host.ts). */
  gpusAuto: boolean;
}

export class UsageError extends Error {}

const USAGE =
  'usage: retune worker [--slots N | --gpus 0,1,… | --gpus auto] [--queues control,gpu]';

/** Parses `--slots N`, `--gpus 0,1` and `--queues control,gpu`; defaults to 1 CPU slot and both queues. */
export function parseWorkerArgs(argv: string[]): WorkerArgs {
  let slots: SlotConfig = { kind: 'cpu', slots: 1 };
  let queues = { control: true, gpu: true };
  let sawSlots = false;
  let sawGpus = false;
  let gpusAuto = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? (arg.split('=', 2) as [string, string])
      : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--slots': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 256) {
          throw new UsageError(`--slots must be an integer from 1 to 256, got "${v}"`);
        }
        slots = { kind: 'cpu', slots: n };
        sawSlots = true;
        break;
      }
      case '--gpus': {
        const v = value();
        sawGpus = true;
        if (v === 'auto') {
          gpusAuto = true;
          slots = { kind: 'gpu', gpus: [] };
          break;
        }
        const gpus = v.split(',').map((s) => Number(s.trim()));
        if (gpus.length === 0 || gpus.some((g) => !Number.isInteger(g) || g < 0)) {
          throw new UsageError(`--gpus takes GPU indices like 0,1,2, got "${v}"`);
        }
        if (new Set(gpus).size !== gpus.length)
          throw new UsageError(`--gpus lists a GPU twice: "${v}"`);
        slots = { kind: 'gpu', gpus };
        sawGpus = true;
        break;
      }
      case '--queues': {
        const v = value();
        const names = v.split(',').map((s) => s.trim());
        const unknown = names.filter((n) => n !== 'control' && n !== 'gpu');
        if (unknown.length)
          throw new UsageError(`--queues knows control and gpu, not ${unknown.join(', ')}`);
        queues = { control: names.includes('control'), gpu: names.includes('gpu') };
        break;
      }
      case '--help':
      case '-h':
        throw new UsageError(USAGE);
      default:
        throw new UsageError(`unknown argument "${arg}"\n${USAGE}`);
    }
  }
  if (sawSlots && sawGpus)
    throw new UsageError('use either --slots (CPU host) or --gpus (GPU host), not both');
  return { slots, queues, gpusAuto };
}
