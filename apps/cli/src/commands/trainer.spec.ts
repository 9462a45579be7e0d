import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrainerView } from '@retune/db';
import type { CliContext } from './context';
import { trainerListCommand, trainerRegisterCommand } from './trainer';

function fakeContext(): { ctx: CliContext; stored: TrainerView[] } {
  const stored: TrainerView[] = [];
  const trainers = {
    register: async (
      input: Omit<TrainerView, 'createdAt' | 'cwd' | 'reusable'> & {
        cwd?: string | null;
        reusable?: boolean;
      },
    ) => {
      const view = {
        ...input,
        cwd: input.cwd ?? null,
        reusable: input.reusable ?? false,
        createdAt: '2026-12-02T00:00:00.000Z',
      };
      stored.push(view);
      return view;
    },
    list: async () => stored,
  };
  const audit = { record: async () => undefined };
  return { ctx: { repos: { trainers, audit } } as never, stored };
}

describe('retune trainer register / list', () => {
  afterEach(() => vi.restoreAllMocks());

  it('stores --reusable and lists which trainers take several trials in one process', async () => {
    const { ctx, stored } = fakeContext();
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    await trainerRegisterCommand(ctx, 'served', ['node', 'serve.mjs'], { reusable: true });
    await trainerRegisterCommand(ctx, 'plain', ['python3', 'train.py'], {});
    expect(stored.map((t) => [t.name, t.reusable])).toEqual([
      ['served', true],
      ['plain', false],
    ]);
    expect(out[0]).toMatch(/registered trainer served: node serve\.mjs \(reusable/);
    out.length = 0;
    await trainerListCommand(ctx);
    const table = out.join('\n');
    expect(table).toMatch(/reusable/);
    expect(table).toMatch(/served\s+node serve\.mjs\s+\S*\s*yes/);
    expect(table).toMatch(/plain\s+python3 train\.py\s+\S*\s*no/);
  });
});
