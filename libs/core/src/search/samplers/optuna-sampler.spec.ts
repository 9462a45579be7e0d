import { describe, expect, it } from 'vitest';
import { parseSweepSpec } from '../../spec/sweep-spec';
import { createSweepStudy } from '../plan';
import { Study } from '../study';
import { OptunaSampler } from './optuna-sampler';

const study = () =>
  createSweepStudy(
    parseSweepSpec({
      name: 's',
      dataset: 'd',
      baseModel: 'b',
      algorithm: 'cmaes',
      cmaes: { sigma0: 0.3 },
      maxTrials: 5,
      seed: 7,
      searchSpace: {
        x: { type: 'uniform', min: 0, max: 1 },
        y: { type: 'uniform', min: 0, max: 1 },
      },
    }),
  );

describe('OptunaSampler', () => {
  it('asks nothing itself: a trial needs the worker answer first', () => {
    const s = study();
    expect(() => s.ask()).toThrow(/params come from the sampler worker/);
  });

  it('builds requests from the study and carries attrs across toJSON/fromJSON', () => {
    const s = study();
    const sampler = s.sampler as OptunaSampler;
    const first = sampler.request({ ...s, trials: s.trials, number: 0 });
    expect(first).toMatchObject({ algorithm: 'cmaes', options: { sigma0: 0.3 }, seed: 7 });
    expect(first.trials).toEqual([]);
    sampler.accept(0, {
      params: { x: 0.5, y: 0.25 },
      attrs: { 'cma:generation': 0, 'cma:optimizer:0': 'aa' },
      supersedes: ['cma:optimizer'],
    });
    expect(s.ask()).toEqual({ number: 0, params: { x: 0.5, y: 0.25 } });
    s.report(0, 1, 0.2);
    s.tell(0, { state: 'pruned' });
    sampler.accept(1, {
      params: { x: 0.1, y: 0.9 },
      attrs: { 'cma:generation': 1, 'cma:optimizer:0': 'bb' },
      supersedes: ['cma:optimizer'],
    });
    s.ask();
    s.tell(1, { state: 'completed', values: [Number.NaN] });

    const again = Study.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    const req = (again.sampler as OptunaSampler).request({
      ...again,
      trials: again.trials,
      number: 2,
    });
    expect(req.trials).toEqual([
      {
        number: 0,
        params: { x: 0.5, y: 0.25 },
        state: 'pruned',
        values: null,
        intermediate: [[1, 0.2]],
        attrs: { 'cma:generation': 0 },
      },
      {
        number: 1,
        params: { x: 0.1, y: 0.9 },
        state: 'failed',
        values: null,
        intermediate: [],
        attrs: { 'cma:generation': 1, 'cma:optimizer:0': 'bb' },
      },
    ]);
  });
});
