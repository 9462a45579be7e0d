import { describe, expect, it } from 'vitest';
import { createTrainerResolver } from './trainers';

const registered = {
  name: 'pytorch',
  command: ['python3', 'train.py'],
  cwd: '/srv/trainers',
  reusable: false,
  createdBy: 'admin@x.io',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const serving = { ...registered, name: 'served', command: ['node', 'serve.mjs'], reusable: true };
const trainers = {
  get: async (name: string) => [registered, serving].find((t) => t.name === name) ?? null,
};
const runAs = { user: 'trainer', uid: 1500, gid: 1500 };

describe('createTrainerResolver', () => {
  it('resolves built-in and registered trainers, each run as the configured user', async () => {
    const resolve = createTrainerResolver('/repo/', { trainers, runAs });
    expect(await resolve({ name: 'synthetic' })).toMatchObject({ runAs, reusable: true });
    expect(await resolve({ name: 'pytorch' })).toEqual({
      command: ['python3', 'train.py'],
      cwd: '/srv/trainers',
      runAs,
    });
    // A registered trainer that declared reuse (`retune trainer register --reusable`).
    expect(await resolve({ name: 'served' })).toEqual({
      command: ['node', 'serve.mjs'],
      cwd: '/srv/trainers',
      runAs,
      reusable: true,
    });
    // A raw command stored by an earlier sweep still runs (who may launch one is checked at launch).
    expect(await resolve({ command: ['sh', 'x.sh'] })).toEqual({ command: ['sh', 'x.sh'], runAs });
    // A command declares reuse in the spec; without it, a process per trial as always.
    expect(await resolve({ command: ['sh', 'x.sh'], reusable: true })).toEqual({
      command: ['sh', 'x.sh'],
      runAs,
      reusable: true,
    });
  });

  it('fails an unknown trainer without retries, naming the fix', async () => {
    const resolve = createTrainerResolver('/repo/', { trainers });
    await expect(resolve({ name: 'jax' })).rejects.toMatchObject({
      nonRetryable: true,
      message: expect.stringMatching(/unknown trainer "jax".*retune trainer register jax/),
    });
  });
});
