import { describe, expect, it } from 'vitest';
import { expandGrid, gridSize, gridValues } from './grid';
import { sampleRandomTrial } from './random';
import { searchSpaceSchema, type SearchSpace } from '../spec/search-space';
import { parseSweepSpec, SpecError } from '../spec/sweep-spec';
import { activeParamNames, isParamActive, paramOrder } from '../spec/conditions';
import { GridSampler, RandomSampler, TPESampler } from './samplers';
import { Study } from './study';

const space = searchSpaceSchema.parse({
  // Declared before its parent on purpose: order of declaration must not matter.
  warmup: { type: 'int', min: 0, max: 5, when: { schedule: 'cosine' } },
  optimizer: { type: 'choice', values: ['sgd', 'adam'] },
  momentum: { type: 'uniform', min: 0, max: 0.99, gridPoints: 2, when: { optimizer: 'sgd' } },
  schedule: { type: 'choice', values: ['const', 'cosine'], when: { optimizer: ['sgd'] } },
  beta1: { type: 'uniform', min: 0.8, max: 0.99, gridPoints: 3, when: { optimizer: 'adam' } },
  batch: { type: 'int', min: 8, max: 512, log: true },
});

function specIssues(searchSpace: unknown): { path: string; message: string }[] {
  try {
    parseSweepSpec({ name: 's', dataset: 'd', baseModel: 'b', algorithm: 'grid', searchSpace });
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues;
  }
  throw new Error('expected the spec to be rejected');
}

/** The searched params must be exactly the active ones: none missing, none extra. */
function expectExactlyActive(params: Record<string, unknown>) {
  const searched = Object.keys(params).filter((k) => k in space);
  expect(searched.sort()).toEqual(activeParamNames(space, params as never).sort());
}

describe('conditional parameters', () => {
  it('follows chains: a param is active only when its parents are active and match', () => {
    expect(activeParamNames(space, { optimizer: 'adam', schedule: 'cosine' })).toEqual([
      'optimizer',
      'beta1',
      'batch',
    ]);
    expect(activeParamNames(space, { optimizer: 'sgd', schedule: 'cosine' })).toEqual([
      'warmup',
      'optimizer',
      'momentum',
      'schedule',
      'batch',
    ]);
    expect(isParamActive(space, 'warmup', { optimizer: 'sgd', schedule: 'const' })).toBe(false);
    expect(paramOrder(space)).toEqual([
      'optimizer',
      'momentum',
      'schedule',
      'warmup',
      'beta1',
      'batch',
    ]);
  });

  it('names the field of each condition error', () => {
    const issues = specIssues({
      a: { type: 'choice', values: ['x', 'y'], when: { nope: 1 } },
      b: { type: 'int', min: 0, max: 3, when: { c: 1 } },
      c: { type: 'int', min: 0, max: 3, when: { b: 2 } },
      d: { type: 'choice', values: [1], when: { a: 'z' } },
      e: { type: 'choice', values: [1], when: { lr: 0.1 } },
      lr: { type: 'uniform', min: 0, max: 1, gridPoints: 2 },
      f: { type: 'int', min: 0, max: 4, step: 2, when: { b: 7 } },
      g: { type: 'choice', values: [1], when: { g: 1 } },
    });
    const by = (path: string) => issues.find((i) => i.path === path)?.message;
    expect(by('searchSpace.a.when.nope')).toMatch(/unknown parameter "nope"/);
    expect(by('searchSpace.b.when.c') ?? by('searchSpace.c.when.b')).toMatch(
      /cycle: (b → c → b|c → b → c)/,
    );
    expect(by('searchSpace.d.when.a')).toMatch(/"z" is not one of the values of "a"/);
    expect(by('searchSpace.e.when.lr')).toMatch(/uniform range: conditions can only test/);
    expect(by('searchSpace.f.when.b')).toMatch(/7 is not a value "b" can take/);
    expect(by('searchSpace.g.when.g')).toMatch(/cannot depend on itself/);
    expect(specIssues({ a: { type: 'choice', values: [1], when: 5 } })[0]!.path).toBe(
      'searchSpace.a.when',
    );
    expect(specIssues({ a: { type: 'choice', values: [1], when: {} } })[0]).toMatchObject({
      path: 'searchSpace.a.when',
      message: expect.stringMatching(/at least one condition/),
    });
  });

  it('reports a longer cycle once', () => {
    const issues = specIssues({
      a: { type: 'int', min: 0, max: 1, when: { c: 1 } },
      b: { type: 'int', min: 0, max: 1, when: { a: 1 } },
      c: { type: 'int', min: 0, max: 1, when: { b: 1 } },
    });
    expect(issues).toEqual([
      { path: 'searchSpace.b.when.a', message: 'conditions form a cycle: a → c → b → a' },
    ]);
  });

  it('random sampling never sets an inactive param and sets every active one', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const p = sampleRandomTrial(space, 3, i);
      expectExactlyActive(p);
      if (p.optimizer === 'adam') expect(p).not.toHaveProperty('momentum');
      if (p.schedule !== 'cosine') expect(p).not.toHaveProperty('warmup');
      Object.keys(p).forEach((k) => seen.add(k));
    }
    expect(seen).toEqual(new Set(Object.keys(space)));
  });

  it('TPE never sets an inactive param either', () => {
    const study = new Study({
      space,
      directions: ['minimize'],
      sampler: new TPESampler(),
      seed: 5,
    });
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const { number, params } = study.ask();
      expectExactlyActive(params);
      Object.keys(params).forEach((k) => seen.add(k));
      const v =
        (params.optimizer === 'sgd' ? 0 : 1) +
        Math.abs(((params.momentum as number | undefined) ?? 0) - 0.9) +
        ((params.warmup as number | undefined) ?? 3) / 10;
      study.tell(number, { state: 'completed', values: [v] });
    }
    expect(seen).toEqual(new Set(Object.keys(space)));
    // TPE learnt the condition-dependent optimum: sgd dominates after the start-up trials.
    const late = study.trials.slice(30).filter((t) => t.params.optimizer === 'sgd').length;
    expect(late).toBeGreaterThan(20);
  });

  it('grid expansion honours conditions without duplicates', () => {
    const noBatch: SearchSpace = { ...space, batch: { ...space.batch!, gridPoints: 2 } as never };
    const grid = expandGrid(noBatch);
    // batch: 2 points × (sgd: momentum 2 × (const 1 + cosine 6 warmups) + adam: beta1 3) = 2 × 17
    expect(grid).toHaveLength(34);
    expect(gridSize(noBatch)).toBe(34);
    expect(new Set(grid.map((p) => JSON.stringify(Object.entries(p).sort()))).size).toBe(34);
    for (const p of grid) expectExactlyActive(p);
    expect(grid[0]).toEqual({ optimizer: 'sgd', momentum: 0, schedule: 'const', batch: 8 });
    const sampler = new GridSampler();
    const ctx = { space: noBatch, trials: [], directions: ['minimize' as const], seed: 0 };
    expect(sampler.sample({ ...ctx, number: 33 })).toEqual(grid[33]);
    expect(() => sampler.sample({ ...ctx, number: 34 })).toThrow(/34 points/);
  });
});

describe('log-scale int', () => {
  it('is validated with the field named', () => {
    expect(specIssues({ n: { type: 'int', min: 0, max: 10, log: true } })).toEqual([
      { path: 'searchSpace.n.min', message: 'a log-scale int needs min >= 1' },
    ]);
    expect(specIssues({ n: { type: 'int', min: 1, max: 10, step: 2, log: true } })[0]!.path).toBe(
      'searchSpace.n.step',
    );
  });

  it('samples integers spread log-uniformly', () => {
    const p = space.batch!;
    const xs = Array.from({ length: 600 }, (_, i) => sampleRandomTrial({ batch: p }, 9, i).batch);
    for (const x of xs) {
      expect(Number.isInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(8);
      expect(x).toBeLessThanOrEqual(512);
    }
    // Geometric midpoint of 8..512 is 64: about half below it (uniform would put ~11% there).
    const below = xs.filter((x) => (x as number) < 64).length;
    expect(below).toBeGreaterThan(240);
    expect(below).toBeLessThan(360);
  });

  it('TPE keeps log ints integral and in range', () => {
    const s = { batch: space.batch! };
    const study = new Study({ space: s, directions: ['minimize'], sampler: new RandomSampler() });
    const trials = [];
    for (let i = 0; i < 30; i++) {
      const { number, params } = study.ask();
      study.tell(number, {
        state: 'completed',
        values: [Math.abs(Math.log(params.batch as number) - Math.log(100))],
      });
      trials.push(...study.trials.slice(-1));
    }
    const tpe = new TPESampler();
    for (let n = 30; n < 60; n++) {
      const b = tpe.sample({
        space: s,
        trials,
        number: n,
        directions: ['minimize'],
        seed: 1,
      }).batch;
      expect(Number.isInteger(b)).toBe(true);
      expect(b).toBeGreaterThanOrEqual(8);
      expect(b).toBeLessThanOrEqual(512);
    }
  });

  it('grid takes gridPoints geometric values, or every integer', () => {
    expect(
      gridValues('n', { type: 'int', min: 1, max: 1000, step: 1, log: true, gridPoints: 4 }),
    ).toEqual([1, 10, 100, 1000]);
    expect(gridValues('n', { type: 'int', min: 1, max: 4, step: 1, log: true })).toEqual([
      1, 2, 3, 4,
    ]);
    expect(
      gridValues('n', { type: 'int', min: 1, max: 3, step: 1, log: true, gridPoints: 9 }),
    ).toEqual([1, 2, 3]);
  });
});
