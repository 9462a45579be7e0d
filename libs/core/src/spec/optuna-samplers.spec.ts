import { describe, expect, it } from 'vitest';
import { parseSweepSpec, SpecError, type SweepSpecInput } from './sweep-spec';

const numeric = {
  lr: { type: 'loguniform', min: 1e-4, max: 1e-1 },
  dropout: { type: 'uniform', min: 0, max: 0.5 },
} as const;

const spec = (extra: Partial<SweepSpecInput>): SweepSpecInput => ({
  name: 's',
  dataset: 'd',
  baseModel: 'b',
  algorithm: 'gp',
  maxTrials: 10,
  searchSpace: numeric,
  ...extra,
});

function issues(input: SweepSpecInput): string[] {
  try {
    parseSweepSpec(input);
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

describe('algorithm: gp | cmaes', () => {
  it('accepts both with their options and fills Optuna 5 defaults', () => {
    expect(parseSweepSpec(spec({ gp: {} })).gp).toEqual({
      nStartupTrials: 10,
      deterministicObjective: false,
    });
    const c = parseSweepSpec(spec({ algorithm: 'cmaes', cmaes: { sigma0: 0.2 } })).cmaes;
    expect(c).toMatchObject({ nStartupTrials: 1, sigma0: 0.2, considerPrunedTrials: false });
    expect(parseSweepSpec(spec({ algorithm: 'cmaes' })).cmaes).toBeUndefined();
  });

  it('refuses unknown options, naming the field', () => {
    expect(issues(spec({ gp: { kernel: 'rbf' } as never }))).toEqual([
      expect.stringMatching(/^gp: .*kernel/),
    ]);
    expect(issues(spec({ algorithm: 'cmaes', cmaes: { popsize: 8 } as never }))[0]).toMatch(
      /^cmaes: .*popsize/,
    );
  });

  it('refuses options for another algorithm', () => {
    expect(issues(spec({ algorithm: 'tpe', gp: {} }))).toEqual([
      'gp: gp options apply to algorithm: gp only: set algorithm: gp or remove gp',
    ]);
  });

  it('refuses CMA-ES on a space without an unconditional numeric param', () => {
    const choices = { opt: { type: 'choice', values: ['sgd', 'adam'] } } as const;
    expect(issues(spec({ algorithm: 'cmaes', searchSpace: choices }))[0]).toMatch(
      /^searchSpace: cmaes searches the unconditional numeric params .* has none: use gp or tpe/,
    );
    const conditional = {
      opt: choices.opt,
      momentum: { type: 'uniform', min: 0, max: 1, when: { opt: 'sgd' } },
    } as const;
    expect(issues(spec({ algorithm: 'cmaes', searchSpace: conditional }))[0]).toMatch(/has none/);
    // One numeric param is enough, as for Optuna 5's CmaEsSampler.
    const one = { lr: numeric.lr, opt: choices.opt, momentum: conditional.momentum } as const;
    expect(issues(spec({ algorithm: 'cmaes', searchSpace: one }))).toEqual([]);
  });

  it('refuses CMA-ES with objectives or constraints', () => {
    expect(
      issues(spec({ algorithm: 'cmaes', objectives: [{ name: 'p', goal: 'minimize' }] })),
    ).toEqual(['objectives: cmaes optimises one metric: remove objectives or use gp or tpe']);
    expect(issues(spec({ algorithm: 'cmaes', constraints: [{ name: 'p', max: 1 }] }))[0]).toMatch(
      /^constraints: cmaes does not learn/,
    );
  });

  it('lets GP handle categorical, multi-objective and constraints, not an all-conditional space', () => {
    const choices = { opt: { type: 'choice', values: ['sgd', 'adam'] } } as const;
    expect(
      issues(
        spec({
          searchSpace: choices,
          objectives: [{ name: 'p', goal: 'minimize' }],
          constraints: [{ name: 'q', max: 1 }],
        }),
      ),
    ).toEqual([]);
    expect(issues(spec({ searchSpace: { x: { type: 'uniform', min: 1, max: 1 } } }))[0]).toMatch(
      /^searchSpace: gp models the unconditional params/,
    );
  });
});
