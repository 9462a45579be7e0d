import { describe, expect, it } from 'vitest';
import type { Params, SearchSpace } from '../spec/search-space';
import { MedianPruner } from './median-pruner';
import { SuccessiveHalvingPruner } from './successive-halving-pruner';
import { RandomSampler, TPESampler } from './samplers';
import { Study } from './study';
import type { Sampler } from './types';

const space: SearchSpace = {
  lr: { type: 'loguniform', min: 1e-4, max: 1e-1 },
  depth: { type: 'int', min: 1, max: 64, step: 1, log: true },
  aug: { type: 'choice', values: ['none', 'light', 'heavy'] },
  wd: { type: 'uniform', min: 0, max: 0.1, when: { aug: ['light', 'heavy'] } },
};

const value = (p: Params) =>
  (Math.log10(p.lr as number) + 2) ** 2 +
  Math.abs(Math.log2(p.depth as number) - 3) / 3 +
  ((p.wd as number) ?? 0);

/**
 * Drives a study for trials [from, to): every 5th trial fails, every 3rd reports a curve and is
 * pruned, every 7th is left running until the end of the segment (as if still on a GPU).
 */
function drive(study: Study, from: number, to: number): Params[] {
  const asked: Params[] = [];
  const open: number[] = [];
  for (let i = from; i < to; i++) {
    const { number, params } = study.ask();
    expect(number).toBe(i);
    asked.push(params);
    const v = value(params);
    if (i % 5 === 4) study.tell(number, { state: 'failed' });
    else if (i % 3 === 2) {
      study.report(number, 1, v + 1);
      study.report(number, 2, i % 2 ? NaN : v + 0.5);
      study.tell(number, { state: 'pruned' });
    } else if (i % 7 === 6) open.push(number);
    else study.tell(number, { state: 'completed', values: [v] });
  }
  return asked;
}

describe('Study', () => {
  it('continues identically after toJSON → JSON text → fromJSON (TPE, pruned, failed, running)', () => {
    const make = () =>
      new Study({
        space,
        directions: ['minimize'],
        sampler: new TPESampler({ nStartupTrials: 5 }),
        pruner: new MedianPruner({ nStartupTrials: 2 }),
        seed: 99,
      });
    const straight = make();
    const a = [...drive(straight, 0, 20), ...drive(straight, 20, 45)];

    const first = make();
    const b = drive(first, 0, 20);
    const text = JSON.stringify(first.toJSON());
    expect(text).toContain('"NaN"'); // NaN intermediates survive JSON as strings
    const restored = Study.fromJSON(JSON.parse(text));
    expect(restored.trials).toEqual(first.trials);
    b.push(...drive(restored, 20, 45));
    expect(b).toEqual(a);
    expect(restored.toJSON()).toEqual(straight.toJSON());
    expect(restored.pruner).toBeInstanceOf(MedianPruner);
    // a trial left running before the hand-over can still be told afterwards
    const running = restored.trials.find((t) => t.state === 'running')!;
    restored.tell(running.number, { state: 'completed', values: [1] });
    expect(restored.trials[running.number]!.state).toBe('completed');
  });

  it('needs the custom sampler back when it cannot describe itself', () => {
    const custom: Sampler = { sample: () => ({ lr: 0.01, depth: 2, aug: 'none' }) };
    const study = new Study({ space, directions: ['maximize'], sampler: custom });
    study.ask();
    const json = study.toJSON();
    expect(json.sampler).toEqual({ type: 'custom' });
    expect(() => Study.fromJSON(json)).toThrow(/custom sampler/);
    expect(Study.fromJSON(json, { sampler: custom }).trials).toHaveLength(1);
  });

  it('validates tell and report', () => {
    const study = new Study({
      space,
      directions: ['minimize', 'maximize'],
      sampler: new RandomSampler(),
    });
    const { number } = study.ask();
    expect(() => study.tell(number, { state: 'completed', values: [1] })).toThrow(/needs 2 value/);
    expect(() => study.tell(5, { state: 'failed' })).toThrow(/never asked/);
    study.tell(number, { state: 'completed', values: [1, 2] });
    expect(() => study.tell(number, { state: 'failed' })).toThrow(/already finished/);
    expect(() => study.report(number, 1, 0.3)).toThrow(/already finished/);
    expect(() => study.bestTrial).toThrow(/bestTrials/);
  });

  it('reads one trial and the count without copying them all', () => {
    const study = new Study({ space, directions: ['maximize'], sampler: new RandomSampler() });
    study.ask();
    const { number } = study.ask();
    study.report(number, 1, 0.4);
    expect(study.size).toBe(2);
    expect(study.trial(number)).toEqual(study.trials[number]);
    expect(study.trial(number)!.intermediate).toEqual({ 1: 0.4 });
    expect(study.trial(7)).toBeUndefined();
  });

  it('finds the best trial (maximize; ties keep the earliest; NaN never wins)', () => {
    const study = new Study({
      space,
      directions: ['maximize'],
      sampler: new RandomSampler(),
      seed: 1,
    });
    for (const v of [0.5, NaN, 0.9, 0.9, 0.7]) {
      const { number } = study.ask();
      study.tell(number, { state: 'completed', values: [v] });
    }
    const { number } = study.ask();
    study.report(number, 1, 5);
    study.tell(number, { state: 'pruned' });
    expect(study.bestTrial!.number).toBe(2);
    expect(study.bestTrials.map((t) => t.number)).toEqual([2, 3]);
  });

  it('gives the Pareto front as bestTrials for several objectives', () => {
    const study = new Study({
      space,
      directions: ['maximize', 'minimize'],
      sampler: new RandomSampler(),
    });
    for (const v of [
      [0.9, 10],
      [0.8, 5],
      [0.7, 6],
      [0.95, 20],
    ]) {
      const { number } = study.ask();
      study.tell(number, { state: 'completed', values: v });
    }
    expect(study.bestTrials.map((t) => t.number)).toEqual([0, 1, 3]);
  });

  it('asks the pruner about the last report', () => {
    const study = new Study({
      space,
      directions: ['maximize'],
      sampler: new RandomSampler(),
      pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
    });
    const a = study.ask().number;
    expect(study.shouldPrune(a)).toBe(false); // nothing reported yet
    study.report(a, 1, 0.8);
    expect(study.shouldPrune(a)).toBe(false);
    study.tell(a, { state: 'completed', values: [0.8] });
    const b = study.ask().number;
    study.report(b, 1, 0.5);
    expect(study.shouldPrune(b)).toBe(true);
  });
});
