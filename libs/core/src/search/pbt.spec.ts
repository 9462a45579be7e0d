import { describe, expect, it } from 'vitest';
import { pbtConfigSchema } from '../spec/pbt-config';
import type { Params, SearchSpace } from '../spec/search-space';
import { mulberry32 } from './prng';
import { sampleRandomTrial } from './random';
import { pbtBoundaries, pbtExploitExplore, pbtInitialParams, pbtTrialCount, perturb } from './pbt';

const space: SearchSpace = {
  lr: { type: 'loguniform', min: 1e-4, max: 1 },
  unfreezeEvery: { type: 'int', min: 1, max: 10, step: 1 },
  augment: { type: 'choice', values: ['none', 'light', 'heavy'] },
};
const config = pbtConfigSchema.parse({ population: 4, interval: 2 });

/** A toy task whose best learning rate falls from 1e-1 to 1e-3 during training. */
const gain = (p: Params, epoch: number, epochs: number) => {
  const d = Math.log10(p.lr as number) - (-1 - (2 * epoch) / (epochs - 1));
  return Math.exp(-2 * d * d);
};

function runPbt(seed: number, epochs: number, population: number): number {
  const cfg = pbtConfigSchema.parse({ population, interval: 2 });
  const lrSpace: SearchSpace = { lr: space.lr! };
  let members = pbtInitialParams(lrSpace, cfg, seed).map((params) => ({ params, skill: 0 }));
  let start = 0;
  const ends = pbtBoundaries(epochs, cfg.interval);
  ends.forEach((end, generation) => {
    for (const m of members) for (let e = start; e < end; e++) m.skill += gain(m.params, e, epochs);
    start = end;
    if (generation === ends.length - 1) return;
    const scored = members.map((m) => ({ params: m.params, score: m.skill }));
    members = pbtExploitExplore({
      space: lrSpace,
      config: cfg,
      seed,
      generation,
      goal: 'maximize',
      members: scored,
    }).map((d) => ({ params: d.params, skill: members[d.source]!.skill }));
  });
  return Math.max(...members.map((m) => m.skill));
}

describe('pbt', () => {
  it('cuts epochs into intervals and counts one trial per member and interval', () => {
    expect(pbtBoundaries(7, 2)).toEqual([2, 4, 6, 7]);
    expect(pbtBoundaries(4, 4)).toEqual([4]);
    expect(pbtTrialCount(7, config)).toBe(16);
  });

  it('starts from the same params random search would draw first', () => {
    const first = pbtInitialParams(space, config, 7);
    expect(first).toHaveLength(4);
    expect(first[2]).toEqual(sampleRandomTrial(space, 7, 2));
  });

  it('makes the bottom quantile copy a top member and explore; the rest carry on', () => {
    const members = pbtInitialParams(space, config, 1).map((params, i) => ({
      params,
      score: [0.9, 0.2, 0.5, null][i]!,
    }));
    const decisions = pbtExploitExplore({
      space,
      config,
      seed: 1,
      generation: 0,
      goal: 'maximize',
      members,
    });
    // quantile 0.25 of 4: one member; the failed one (null) ranks last and copies the best.
    expect(decisions.map((d) => d.source)).toEqual([0, 1, 2, 0]);
    expect(decisions[1]!.params).toEqual(members[1]!.params);
    expect(Object.keys(decisions[3]!.changes).length).toBeGreaterThan(0);
    for (const [name, change] of Object.entries(decisions[3]!.changes)) {
      expect(change.from).toEqual(members[0]!.params[name]);
      expect(decisions[3]!.params[name]).toEqual(change.to);
    }
  });

  it('ranks by the goal: minimising copies the lowest', () => {
    const members = [0.9, 0.2, 0.5, 0.7].map((score, i) => ({
      params: { lr: 10 ** -(i + 1) },
      score,
    }));
    const decisions = pbtExploitExplore({
      space: { lr: space.lr! },
      config,
      seed: 3,
      generation: 1,
      goal: 'minimize',
      members,
    });
    expect(decisions.map((d) => d.source)).toEqual([1, 1, 2, 3]);
  });

  it('is deterministic from the seed and changes only mutable params', () => {
    const cfg = pbtConfigSchema.parse({ population: 4, mutable: ['lr'], resampleProbability: 0 });
    const members = pbtInitialParams(space, cfg, 5).map((params, i) => ({ params, score: i }));
    const run = () =>
      pbtExploitExplore({ space, config: cfg, seed: 5, generation: 2, goal: 'maximize', members });
    expect(run()).toEqual(run());
    const copier = run()[0]!;
    expect(copier.source).toBe(3);
    expect(Object.keys(copier.changes)).toEqual(['lr']);
    expect(copier.changes.lr!.how).toBe('perturb');
    const ratio = (copier.params.lr as number) / (members[3]!.params.lr as number);
    expect([0.8, 1.2].some((f) => Math.abs(ratio - f) < 1e-9)).toBe(true);
    expect(copier.params.augment).toBe(members[3]!.params.augment);
  });

  it('perturbs within the range: ints always move, choices step to a neighbour', () => {
    const rng = mulberry32(1);
    for (let i = 0; i < 50; i++) {
      const v = perturb(space.unfreezeEvery!, 2, [0.8, 1.2], rng);
      expect([1, 3]).toContain(v);
      expect(perturb(space.unfreezeEvery!, 10, [0.8, 1.2], rng)).toBeLessThanOrEqual(10);
      expect(['none', 'heavy']).toContain(perturb(space.augment!, 'light', [0.8, 1.2], rng));
      const lr = perturb(space.lr!, 0.9, [0.8, 1.2], rng) as number;
      expect(lr).toBeLessThanOrEqual(1);
    }
  });

  it('beats random search with the same trial-epochs when the best learning rate moves', () => {
    const epochs = 12;
    let wins = 0;
    for (let seed = 0; seed < 20; seed++) {
      let random = 0;
      for (let i = 0; i < 8; i++) {
        const p = sampleRandomTrial({ lr: space.lr! }, seed + 1000, i);
        let skill = 0;
        for (let e = 0; e < epochs; e++) skill += gain(p, e, epochs);
        random = Math.max(random, skill);
      }
      if (runPbt(seed, epochs, 8) > random) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(14);
  });
});
