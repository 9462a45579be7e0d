import { describe, expect, it } from 'vitest';
import type { MetricGoal } from '../spec/sweep-spec';
import { createPruner } from './create-pruner';
import { MedianPruner } from './median-pruner';
import { NopPruner } from './pruners';
import { SuccessiveHalvingPruner } from './successive-halving-pruner';
import { RandomSampler } from './samplers';
import { Study } from './study';
import type { FrozenTrial, Pruner } from './types';

/**
 * Runs scripted learning curves one trial after another through a Study, asking the pruner after
 * every report, and returns where each trial stopped: 'completed' or 'pruned@<step>'.
 */
function replay(pruner: Pruner, curves: number[][], direction: MetricGoal): string[] {
  const study = new Study({
    space: { x: { type: 'uniform', min: 0, max: 1 } },
    directions: [direction],
    sampler: new RandomSampler(),
    pruner,
  });
  return curves.map((curve) => {
    const { number } = study.ask();
    for (let i = 0; i < curve.length; i++) {
      const step = i + 1;
      study.report(number, step, curve[i]!);
      if (study.shouldPrune(number)) {
        study.tell(number, { state: 'pruned' });
        return `pruned@${step}`;
      }
    }
    study.tell(number, { state: 'completed', values: [curve[curve.length - 1]!] });
    return 'completed';
  });
}

const frozen = (
  number: number,
  state: FrozenTrial['state'],
  intermediate: Record<number, number>,
): FrozenTrial => ({
  number,
  state,
  params: {},
  values: state === 'completed' ? [0] : null,
  intermediate,
});

describe('SuccessiveHalvingPruner (ASHA)', () => {
  // η = 2, minResource = 1: rungs at steps 1, 2, 4. At a rung with n values the trial goes on
  // only within the top max(1, ⌊n/2⌋).
  const curves = [
    [0.5, 0.6, 0.7, 0.8], // t0: alone at every rung → completes
    [0.4, 0.5, 0.6, 0.7], // t1: rung 1 {.4,.5}: top 1 is .5 → pruned@1
    [0.6, 0.65, 0.66, 0.7], // t2: rung 1 {.6,.5,.4} top 1 → on; rung 2 {.65,.6} → on; rung 4 {.7,.8} → pruned@4
    [0.45, 0.9, 0.9, 0.9], // t3: rung 1 {.45,.5,.4,.6}: top 2 are .6,.5 → pruned@1
    [0.55, 0.58, 0.9, 0.9], // t4: rung 1 {.55,.5,.4,.6,.45}: top 2 → on; rung 2 {.58,.6,.65}: top 1 → pruned@2
  ];
  const expected = ['completed', 'pruned@1', 'pruned@4', 'pruned@1', 'pruned@2'];

  it('stops the trials outside the top 1/η at each rung (maximize)', () => {
    expect(
      replay(
        new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
        curves,
        'maximize',
      ),
    ).toEqual(expected);
  });

  it('makes the same decisions on the mirrored minimisation', () => {
    const neg = curves.map((c) => c.map((v) => -v));
    expect(
      replay(new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }), neg, 'minimize'),
    ).toEqual(expected);
  });

  it('places rungs at minResource·η^(s+k) and checks every rung a report jumps over', () => {
    const p = new SuccessiveHalvingPruner({
      minResource: 2,
      reductionFactor: 3,
      minEarlyStoppingRate: 1,
    });
    expect([0, 1, 2].map((k) => p.rungStep(k))).toEqual([6, 18, 54]);
    const others = [frozen(0, 'completed', { 6: 0.9, 18: 0.95 }), frozen(1, 'pruned', { 6: 0.1 })];
    // Before the first rung nothing is checked, however bad.
    expect(p.shouldPrune(frozen(2, 'running', { 5: 0 }), 5, others, 'maximize')).toBe(false);
    // One report at step 20 crosses rungs 6 and 18: rung 6 {.5,.9,.1}: top 1 is .9 → pruned.
    expect(p.shouldPrune(frozen(2, 'running', { 20: 0.5 }), 20, others, 'maximize')).toBe(true);
    // A trial that reached rung 6 at step 7 competes with its step-7 value there.
    expect(p.rungValue(frozen(3, 'running', { 5: 0.1, 7: 0.3, 8: 0.4 }), 0)).toBe(0.3);
    // Already past rung 6 (checked at step 7): step 8 crosses no rung → not checked again.
    expect(
      p.shouldPrune(frozen(3, 'running', { 5: 0.1, 7: 0.3, 8: 0.4 }), 8, others, 'maximize'),
    ).toBe(false);
    // A NaN at a rung is pruned.
    expect(p.shouldPrune(frozen(4, 'running', { 6: NaN }), 6, [], 'maximize')).toBe(true);
  });
});

describe('MedianPruner', () => {
  // Three completed curves (minimize), reported at steps 0..3 / 0..2.
  const completed = [
    frozen(0, 'completed', { 0: 1.0, 1: 0.8, 2: 0.6, 3: 0.5 }),
    frozen(1, 'completed', { 0: 0.9, 1: 0.7, 2: 0.5, 3: 0.4 }),
    frozen(2, 'completed', { 0: 1.2, 1: 1.0, 2: 0.9 }),
    // Not compared with: pruned, failed and running trials.
    frozen(3, 'pruned', { 0: 0.0, 1: 0.0 }),
    frozen(4, 'running', { 0: 0.0, 1: 0.0, 2: 0.0, 3: 0.0 }),
  ];
  const p = new MedianPruner({ nStartupTrials: 2, nWarmupSteps: 1 });
  const at = (intermediate: Record<number, number>, step: number, trials = completed) =>
    p.shouldPrune(frozen(9, 'running', intermediate), step, trials, 'minimize');

  it('prunes when the best value so far is worse than the median at the step', () => {
    expect(at({ 0: 2.0 }, 0)).toBe(false); // warm-up
    expect(at({ 0: 2.0, 1: 0.85 }, 1)).toBe(true); // median(.8,.7,1.0) = .8 < .85
    expect(at({ 0: 2.0, 1: 0.75 }, 1)).toBe(false);
    // best so far counts: 0.5 at step 0 beats the step-1 median
    expect(at({ 0: 0.5, 1: 0.9 }, 1)).toBe(false);
    expect(at({ 0: 0.5, 1: 0.9, 2: 0.95 }, 2)).toBe(false); // median .6
    // step 3: only two completed trials reported it → median (.5 + .4) / 2 = .45
    expect(at({ 0: 0.5, 1: 0.9, 2: 0.95, 3: 0.46 }, 3)).toBe(true);
    expect(at({ 0: 0.5, 1: 0.9, 2: 0.95, 3: 0.44 }, 3)).toBe(false);
  });

  it('waits for nStartupTrials completed trials and for a step someone completed', () => {
    expect(at({ 0: 9, 1: 9 }, 1, completed.slice(0, 1))).toBe(false);
    expect(at({ 0: 9, 1: 9, 2: 9, 3: 9, 4: 9 }, 4)).toBe(false); // no completed trial reached step 4
  });

  it('maximize flips the comparison', () => {
    const up = completed.map((t) => ({
      ...t,
      intermediate: Object.fromEntries(Object.entries(t.intermediate).map(([s, v]) => [s, -v])),
    }));
    expect(p.shouldPrune(frozen(9, 'running', { 0: -2, 1: -0.85 }), 1, up, 'maximize')).toBe(true);
    expect(p.shouldPrune(frozen(9, 'running', { 0: -2, 1: -0.75 }), 1, up, 'maximize')).toBe(false);
  });

  it('checks only the first report of each interval window', () => {
    const q = new MedianPruner({ nStartupTrials: 1, intervalSteps: 2 });
    const bad = { 0: 9, 1: 9, 2: 9, 3: 9 };
    const upTo = (s: number) =>
      Object.fromEntries(Object.entries(bad).filter(([k]) => Number(k) <= s));
    const decisions = [0, 1, 2, 3].map((s) =>
      q.shouldPrune(frozen(9, 'running', upTo(s)), s, completed, 'minimize'),
    );
    expect(decisions).toEqual([true, false, true, false]);
  });

  it('scripted run through a Study', () => {
    const curves = [
      [1.0, 0.8, 0.6], // completed
      [0.9, 0.7, 0.5], // completed
      [1.1, 0.9, 0.7], // 2 completed now: step 1 median(1.0, .9) = .95 < 1.1 → pruned@1
      [0.8, 0.9, 0.4], // best .8 < .95 → on; step 2: median(.8,.7)=.75, best .8 > .75 → pruned@2
      [0.95, 0.75, 0.55], // step 1: .95 ≤ .95 → on; step 2: .75 ≤ .75 → on; step 3: median(.6,.5)=.55 → on
    ];
    expect(replay(new MedianPruner({ nStartupTrials: 2 }), curves, 'minimize')).toEqual([
      'completed',
      'completed',
      'pruned@1',
      'pruned@2',
      'completed',
    ]);
  });
});

describe('NopPruner and configs', () => {
  it('never prunes and round-trips its config', () => {
    expect(replay(new NopPruner(), [[1], [100, 100]], 'minimize')).toEqual([
      'completed',
      'completed',
    ]);
    for (const p of [
      new NopPruner(),
      new MedianPruner({ nWarmupSteps: 3 }),
      new SuccessiveHalvingPruner(),
    ]) {
      expect(createPruner(p.toJSON()).toJSON()).toEqual(p.toJSON());
    }
    expect(new SuccessiveHalvingPruner().toJSON()).toEqual({
      type: 'successiveHalving',
      minResource: 1,
      reductionFactor: 4,
      minEarlyStoppingRate: 0,
    });
  });
});
