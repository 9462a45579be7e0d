/**
 * The accelerator slots of one worker. A GPU host has one slot per GPU (the trainer sees only
 * its GPU through CUDA_VISIBLE_DEVICES); a CPU host has N anonymous slots and hides GPUs.
 */
export type SlotConfig = { kind: 'gpu'; gpus: number[] } | { kind: 'cpu'; slots: number };

export interface Slot {
  index: number;
  device: { kind: 'cpu' | 'gpu'; index?: number };
  env: Record<string, string>;
  release(): void;
}

export interface SlotPool {
  readonly size: number;
  acquire(): Slot;
  /**
   * A slot as soon as one is free (first come, first served): with pipelined slots the worker
   * holds more trials than slots, the waiting ones here. Rejects with the signal's reason.
   */
  acquireWhenFree(signal: AbortSignal): Promise<Slot>;
  inUse(): number;
}

export class NoFreeSlotError extends Error {
  constructor(size: number) {
    super(`all ${size} slots of this worker are busy`);
    this.name = 'NoFreeSlotError';
  }
}

export function createSlotPool(config: SlotConfig): SlotPool {
  const size = config.kind === 'gpu' ? config.gpus.length : config.slots;
  if (size < 1) throw new Error('a worker needs at least one slot (--slots N or --gpus 0,1,…)');
  const busy = new Array<boolean>(size).fill(false);
  const waiters: ((slot: Slot) => void)[] = [];
  const take = (index: number): Slot => {
    busy[index] = true;
    let released = false;
    const gpu = config.kind === 'gpu' ? config.gpus[index] : undefined;
    // One GPU per trainer; TensorFlow otherwise takes the GPU's whole memory up front.
    const env: Record<string, string> =
      gpu === undefined
        ? { CUDA_VISIBLE_DEVICES: '' }
        : { CUDA_VISIBLE_DEVICES: String(gpu), TF_FORCE_GPU_ALLOW_GROWTH: 'true' };
    return {
      index,
      device: gpu === undefined ? { kind: 'cpu' } : { kind: 'gpu', index: gpu },
      env,
      release() {
        if (released) return;
        released = true;
        busy[index] = false;
        // Handed straight to the longest waiter: no one can take it in between.
        waiters.shift()?.(take(index));
      },
    };
  };
  const acquire = (): Slot => {
    const index = busy.indexOf(false);
    if (index < 0) throw new NoFreeSlotError(size);
    return take(index);
  };
  return {
    size,
    inUse: () => busy.filter(Boolean).length,
    acquire,
    acquireWhenFree(signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (busy.includes(false)) return Promise.resolve(acquire());
      return new Promise<Slot>((resolve, reject) => {
        const waiter = (slot: Slot) => {
          signal.removeEventListener('abort', onAbort);
          resolve(slot);
        };
        const onAbort = () => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(signal.reason);
        };
        waiters.push(waiter);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
