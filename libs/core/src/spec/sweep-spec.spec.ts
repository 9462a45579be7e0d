import { describe, expect, it } from 'vitest';
import { parseSweepSpec, SpecError } from './sweep-spec';

const good = {
  name: 'mnist transfer',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:mnist-0-4-cnn',
  algorithm: 'grid',
  searchSpace: {
    headLr: { type: 'loguniform', min: 1e-4, max: 1e-1, gridPoints: 4 },
    freezeDepth: { type: 'int', min: 0, max: 4, step: 2 },
    augment: { type: 'choice', values: ['none', 'light'] },
    dropout: { type: 'uniform', min: 0, max: 0.5, gridPoints: 2 },
  },
};

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseSweepSpec(input);
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues;
  }
  throw new Error('expected the spec to be rejected');
}

describe('parseSweepSpec', () => {
  it('accepts a good spec and fills defaults', () => {
    const spec = parseSweepSpec(good);
    expect(spec.maxParallel).toBe(1);
    expect(spec.seed).toBe(0);
    expect(spec.trainer).toEqual({ name: 'tfjs' });
    expect(spec.metric).toEqual({ name: 'val_acc', goal: 'maximize' });
    expect(spec.searchSpace.freezeDepth).toEqual({ type: 'int', min: 0, max: 4, step: 2 });
  });

  it('names the field of each error', () => {
    const issues = issuesOf({
      ...good,
      name: '',
      maxParallel: 0,
      searchSpace: { lr: { type: 'loguniform', min: 0, max: 1 } },
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('name');
    expect(paths).toContain('maxParallel');
    expect(paths).toContain('searchSpace.lr.min');
    expect(issues.find((i) => i.path === 'searchSpace.lr.min')!.message).toMatch(/min > 0/);
  });

  it('rejects an unknown algorithm listing the allowed ones', () => {
    const [issue] = issuesOf({ ...good, algorithm: 'bayes' });
    expect(issue!.path).toBe('algorithm');
    expect(issue!.message).toContain('grid, random');
  });

  it('rejects an empty search space with a hint', () => {
    const issues = issuesOf({ ...good, searchSpace: {} });
    expect(issues[0]!.path).toBe('searchSpace');
    expect(issues[0]!.message).toMatch(/empty/);
  });

  it('requires maxTrials for random search', () => {
    const issues = issuesOf({ ...good, algorithm: 'random' });
    expect(issues).toEqual([
      { path: 'maxTrials', message: expect.stringMatching(/how many trials/) },
    ]);
  });

  it('rejects unknown fields (typos) instead of ignoring them', () => {
    const issues = issuesOf({ ...good, maxTrails: 3 });
    expect(issues[0]!.message).toMatch(/maxTrails/);
  });

  it('rejects inverted ranges and a param both fixed and searched', () => {
    const issues = issuesOf({
      ...good,
      fixed: { headLr: 0.1 },
      searchSpace: { ...good.searchSpace, dropout: { type: 'uniform', min: 0.5, max: 0.1 } },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(['fixed.headLr', 'searchSpace.dropout.max']);
  });

  it('the error message lists every issue on its own line', () => {
    try {
      parseSweepSpec({ ...good, seed: -1, maxParallel: 'x' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(
        /^invalid sweep spec:\n {2}- maxParallel: .*\n {2}- seed: /,
      );
    }
  });

  it('takes extra objectives and refuses a repeated one', () => {
    const spec = parseSweepSpec({
      ...good,
      objectives: [{ name: 'trainable_params', goal: 'minimize' }],
    });
    expect(spec.objectives).toEqual([{ name: 'trainable_params', goal: 'minimize' }]);
    expect(parseSweepSpec(good).objectives).toEqual([]);
    expect(issuesOf({ ...good, objectives: [{ name: 'val_acc', goal: 'minimize' }] })).toEqual([
      { path: 'objectives[0].name', message: expect.stringMatching(/listed twice/) },
    ]);
  });

  it('accepts warmStart for TPE only', () => {
    const tpe = { ...good, algorithm: 'tpe', maxTrials: 10, warmStart: {} };
    expect(parseSweepSpec(tpe).warmStart).toEqual({ maxTrials: 500 });
    expect(issuesOf({ ...good, warmStart: { sweeps: ['s1'] } })).toEqual([
      { path: 'warmStart', message: expect.stringMatching(/algorithm: tpe/) },
    ]);
  });
});

describe('algorithm: pbt', () => {
  const pbtSpec = {
    ...good,
    algorithm: 'pbt',
    trainer: { name: 'synthetic' },
    searchSpace: { lr: { type: 'loguniform', min: 1e-4, max: 1 } },
    fixed: { epochs: 6 },
    pbt: { population: 4, interval: 2 },
  };

  it('accepts a pbt spec without maxTrials and plans one trial per member and interval', () => {
    const spec = parseSweepSpec(pbtSpec);
    expect(spec.pbt).toMatchObject({ population: 4, interval: 2, quantile: 0.25 });
  });

  it('names the field of each bad pbt option', () => {
    const issues = issuesOf({
      ...pbtSpec,
      maxTrials: 3,
      pbt: { population: 1, interval: 7, mutable: ['headLr'], explore: 2 },
    });
    expect(issues.map((i) => i.path)).toEqual([
      'pbt.population',
      'pbt',
      'pbt.interval',
      'pbt.mutable[0]',
      'maxTrials',
    ]);
    expect(issues[1]!.message).toMatch(/explore/);
    expect(issues[2]!.message).toMatch(/longer than epochs \(6\)/);
    expect(issues[3]!.message).toMatch(/not in searchSpace/);
    expect(issuesOf({ ...pbtSpec, fixed: {}, pbt: { interval: 6 } })[0]!.message).toMatch(
      /epochs \(5, the default\)/,
    );
  });

  it('refuses pbt settings on another algorithm, and early stopping on pbt', () => {
    expect(issuesOf({ ...pbtSpec, algorithm: 'random', maxTrials: 4 })[0]!.path).toBe('pbt');
    expect(issuesOf({ ...pbtSpec, earlyStopping: { type: 'asha' } })[0]!.path).toBe(
      'earlyStopping',
    );
  });
});
