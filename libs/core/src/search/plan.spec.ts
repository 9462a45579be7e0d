import { describe, expect, it } from 'vitest';
import { parseSweepSpec } from '../spec/sweep-spec';
import { expandGrid, gridValues, GridError } from './grid';
import { createSweepStudy, plannedTrialCount } from './plan';
import type { SweepSpec } from '../spec/sweep-spec';

/** Every trial's params as the sweep's study proposes them, fixed params included. */
function planTrials(spec: SweepSpec) {
  const study = createSweepStudy(spec);
  return Array.from({ length: plannedTrialCount(spec) }, () => ({
    ...spec.fixed,
    ...study.ask().params,
  }));
}
import { sampleRandomTrial } from './random';

const space = {
  headLr: { type: 'loguniform' as const, min: 1e-3, max: 1e-1, gridPoints: 3 },
  freezeDepth: { type: 'int' as const, min: 0, max: 4, step: 2 },
  augment: { type: 'choice' as const, values: ['none', 'light'] },
};

describe('grid', () => {
  it('spaces loguniform points geometrically and int points by step', () => {
    expect(gridValues('headLr', space.headLr)).toEqual([0.001, 0.01, 0.1]);
    expect(gridValues('freezeDepth', { ...space.freezeDepth })).toEqual([0, 2, 4]);
    expect(gridValues('d', { type: 'uniform', min: 0, max: 1, gridPoints: 5 })).toEqual([
      0, 0.25, 0.5, 0.75, 1,
    ]);
  });

  it('expands the full cartesian product, first parameter slowest', () => {
    const grid = expandGrid(space);
    expect(grid).toHaveLength(18);
    expect(new Set(grid.map((p) => JSON.stringify(p))).size).toBe(18);
    expect(grid[0]).toEqual({ headLr: 0.001, freezeDepth: 0, augment: 'none' });
    expect(grid[1]).toEqual({ headLr: 0.001, freezeDepth: 0, augment: 'light' });
    expect(grid[17]).toEqual({ headLr: 0.1, freezeDepth: 4, augment: 'light' });
  });

  it('asks for gridPoints on a continuous range', () => {
    expect(() => gridValues('dropout', { type: 'uniform', min: 0, max: 1 })).toThrow(
      /searchSpace.dropout: .*gridPoints/,
    );
  });

  it('refuses a grid larger than maxTrials', () => {
    const spec = parseSweepSpec({
      name: 'g',
      dataset: 'd',
      baseModel: 'b',
      algorithm: 'grid',
      maxTrials: 5,
      searchSpace: space,
    });
    expect(() => plannedTrialCount(spec)).toThrow(GridError);
    expect(() => plannedTrialCount(spec)).toThrow(/grid has 18 points but maxTrials is 5/);
  });
});

describe('random sampling', () => {
  const spec = parseSweepSpec({
    name: 'r',
    dataset: 'd',
    baseModel: 'b',
    algorithm: 'random',
    maxTrials: 50,
    seed: 42,
    searchSpace: { ...space, dropout: { type: 'uniform', min: 0.1, max: 0.5 } },
    fixed: { epochs: 3 },
  });

  it('is reproducible for a seed and differs across seeds', () => {
    expect(planTrials(spec)).toEqual(planTrials(spec));
    const other = planTrials({ ...spec, seed: 43 });
    expect(other).not.toEqual(planTrials(spec));
  });

  it('stays inside the space and merges fixed params', () => {
    for (const p of planTrials(spec)) {
      expect(p.epochs).toBe(3);
      expect(p.headLr).toBeGreaterThanOrEqual(1e-3);
      expect(p.headLr).toBeLessThanOrEqual(1e-1);
      expect([0, 2, 4]).toContain(p.freezeDepth);
      expect(['none', 'light']).toContain(p.augment);
      expect(p.dropout).toBeGreaterThanOrEqual(0.1);
      expect(p.dropout).toBeLessThan(0.5);
    }
  });

  it('covers the choices and spreads log-uniformly', () => {
    const trials = Array.from({ length: 400 }, (_, i) => sampleRandomTrial(space, 7, i));
    const belowMid = trials.filter((t) => (t.headLr as number) < 0.01).length;
    expect(belowMid).toBeGreaterThan(150);
    expect(belowMid).toBeLessThan(250);
    expect(new Set(trials.map((t) => t.freezeDepth))).toEqual(new Set([0, 2, 4]));
  });

  it('trial N does not depend on the trials before it', () => {
    expect(sampleRandomTrial(spec.searchSpace, 42, 9)).toEqual(
      planTrials({ ...spec, fixed: {} })[9],
    );
  });
});
