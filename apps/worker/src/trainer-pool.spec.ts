import { describe, expect, it } from 'vitest';
import type { TrainerPool } from '@retune/activities';
import { loadEnv } from './env';
import { createWorkerTrainerPool, stopPoolWithWorker } from './trainer-pool';

describe('the worker trainer pool', () => {
  it('exists unless reuse is turned off (RETUNE_TRAINER_REUSE_TRIALS=0)', () => {
    const at = { workDir: '/w', workerId: 'gpu-a' };
    expect(createWorkerTrainerPool(at)).toBeDefined();
    expect(createWorkerTrainerPool({ ...at, trainerReuse: { maxTrials: 0 } })).toBeUndefined();
    expect(loadEnv({}).RETUNE_TRAINER_REUSE_TRIALS).toBe(50);
    expect(loadEnv({ RETUNE_TRAINER_REUSE_TRIALS: '0' }).RETUNE_TRAINER_REUSE_TRIALS).toBe(0);
    expect(() => loadEnv({ RETUNE_TRAINER_MAX_RSS_MB: 'lots' })).toThrow(
      /RETUNE_TRAINER_MAX_RSS_MB/,
    );
  });

  it('is closed when the GPU worker stops running, also after a failure', async () => {
    let closed = 0;
    const pool = { close: async () => void closed++ } as unknown as TrainerPool;
    const worker = { run: () => Promise.reject(new Error('connection lost')) };
    stopPoolWithWorker(worker as never, pool);
    await expect(worker.run()).rejects.toThrow('connection lost');
    expect(closed).toBe(1);
  });
});
