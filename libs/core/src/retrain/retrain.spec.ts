import { describe, expect, it } from 'vitest';
import { parseSweepSpec, SpecError, type SweepSpecInput } from '../spec/sweep-spec';
import { candidateSweepSpec, narrowParam, narrowSearchSpace } from './candidate-spec';
import { canScoreOnHoldout } from './contracts';
import { decidePromotion, metricDelta } from './promotion';
import { parseRetrainScheduleSpec } from './schedule-spec';

const sweep: SweepSpecInput = {
  name: 'digits',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:mnist-0-4-cnn',
  algorithm: 'grid',
  fixed: { epochs: 3 },
  searchSpace: {
    headLr: { type: 'loguniform', min: 1e-4, max: 1e-1, gridPoints: 4 },
    freezeDepth: { type: 'int', min: 0, max: 6, step: 2 },
    dropout: { type: 'uniform', min: 0, max: 0.5, gridPoints: 3 },
    augment: { type: 'choice', values: ['none', 'light'] },
    baseLr: { type: 'loguniform', min: 1e-5, max: 1e-2, when: { freezeDepth: [2, 4, 6] } },
  },
};

describe('parseRetrainScheduleSpec', () => {
  it('fills defaults and validates the embedded sweep spec', () => {
    const s = parseRetrainScheduleSpec({
      name: 'nightly',
      task: 'digits',
      spec: sweep,
      cron: '0 3 * * *',
    });
    expect(s).toMatchObject({
      policy: 'retrain-champion',
      timezone: 'UTC',
      overlapPolicy: 'skip',
      catchupWindowSeconds: 3600,
      promoteMargin: 0,
      paused: false,
    });
    expect(s.spec.trainer).toEqual({ name: 'tfjs' });
  });

  it('names each bad field, including those inside the sweep spec', () => {
    let err: unknown;
    try {
      parseRetrainScheduleSpec({
        name: 'x',
        task: 'Bad Task',
        spec: { ...sweep, searchSpace: { headLr: { type: 'loguniform', min: 0, max: 1 } } },
        overlapPolicy: 'sometimes',
        webhookUrl: 'ftp://example.com',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecError);
    const paths = (err as SpecError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'task',
        'spec.searchSpace.headLr.min',
        'overlapPolicy',
        'webhookUrl',
      ]),
    );
  });

  it('refuses a param the trainer does not know, as a launch would', () => {
    expect(() =>
      parseRetrainScheduleSpec({
        name: 'x',
        task: 'digits',
        spec: { ...sweep, fixed: { epochs: 3, freezeDept: 2 } },
        cron: '0 3 * * *',
      }),
    ).toThrow(/spec\.fixed\.freezeDept: .*did you mean "freezeDepth"/);
  });

  it('wants exactly one of cron and intervalSeconds', () => {
    expect(() =>
      parseRetrainScheduleSpec({
        name: 'x',
        task: 't',
        spec: sweep,
        cron: '@daily',
        intervalSeconds: 60,
      }),
    ).toThrow(/exactly one of cron/);
    expect(
      parseRetrainScheduleSpec({ name: 'x', task: 't', spec: sweep, intervalSeconds: 60 })
        .intervalSeconds,
    ).toBe(60);
    expect(() =>
      parseRetrainScheduleSpec({ name: 'x', task: 't', spec: sweep, cron: '3 *' }),
    ).toThrow(/five fields/);
  });
});

describe('decidePromotion', () => {
  it('promotes when there is no champion', () => {
    expect(
      decidePromotion({ candidate: 0.8, champion: null, goal: 'maximize', margin: 0.1 }),
    ).toMatchObject({
      promote: true,
      reason: expect.stringContaining('no champion'),
    });
  });

  it('promotes a better candidate only by the margin, per goal', () => {
    expect(
      decidePromotion({ candidate: 0.93, champion: 0.9, goal: 'maximize', margin: 0.02 }).promote,
    ).toBe(true);
    const small = decidePromotion({
      candidate: 0.91,
      champion: 0.9,
      goal: 'maximize',
      margin: 0.02,
    });
    expect(small).toMatchObject({
      promote: false,
      reason: expect.stringContaining('by only 0.01'),
    });
    expect(
      decidePromotion({ candidate: 0.2, champion: 0.3, goal: 'minimize', margin: 0 }).promote,
    ).toBe(true);
    expect(
      decidePromotion({ candidate: 0.3, champion: 0.2, goal: 'minimize', margin: 0 }),
    ).toMatchObject({
      promote: false,
      reason: expect.stringContaining('not better'),
    });
  });

  it('never promotes a tie or a candidate without a metric', () => {
    expect(
      decidePromotion({ candidate: 0.9, champion: 0.9, goal: 'maximize', margin: 0 }).promote,
    ).toBe(false);
    expect(
      decidePromotion({ candidate: null, champion: 0.9, goal: 'maximize', margin: 0 }).promote,
    ).toBe(false);
    expect(
      decidePromotion({ candidate: Number.NaN, champion: null, goal: 'maximize', margin: 0 })
        .promote,
    ).toBe(false);
  });

  it('metricDelta is positive for an improvement under either goal', () => {
    expect(metricDelta(0.95, 0.9, 'maximize')).toBeCloseTo(0.05);
    expect(metricDelta(0.1, 0.3, 'minimize')).toBeCloseTo(0.2);
    expect(metricDelta(null, 0.3, 'minimize')).toBeNull();
  });
});

describe('narrowing around the champion', () => {
  const spec = parseSweepSpec(sweep);
  const champion = {
    headLr: 0.01,
    freezeDepth: 2,
    dropout: 0.3,
    augment: 'light',
    epochs: 3,
    baseLr: 0.001,
  };

  it('shrinks numeric ranges around the value and stays inside the original range', () => {
    const space = narrowSearchSpace(spec.searchSpace, champion, 0.25);
    const lr = space.headLr as { min: number; max: number };
    expect(lr.min).toBeGreaterThan(1e-4);
    expect(lr.max).toBeLessThan(1e-1);
    expect(lr.min).toBeLessThan(0.01);
    expect(lr.max).toBeGreaterThan(0.01);
    expect(Math.log(lr.max / lr.min)).toBeCloseTo(Math.log(1000) * 0.25);
    const d = space.dropout as { min: number; max: number };
    expect(d.min).toBeCloseTo(0.2375);
    expect(d.max).toBeCloseTo(0.3625);
    expect(space.augment).toEqual(spec.searchSpace.augment);
    // baseLr's `when` names freezeDepth's values, so freezeDepth keeps its whole range.
    expect(space.freezeDepth).toEqual(spec.searchSpace.freezeDepth);
    const fd = narrowParam(spec.searchSpace.freezeDepth!, 2, 0.25);
    expect(fd).toMatchObject({ min: 0, max: 4, step: 2 });
  });

  it('clamps at the edges and keeps int values on the step grid', () => {
    const p = narrowParam({ type: 'int', min: 1, max: 21, step: 4 }, 21, 0.5);
    expect(p).toMatchObject({ min: 17, max: 21 });
    expect(((p as { min: number }).min - 1) % 4).toBe(0);
    const u = narrowParam({ type: 'uniform', min: 0, max: 1 }, 0, 0.2);
    expect(u).toMatchObject({ min: 0, max: 0.1 });
  });

  it('retrain-champion pins every searched param to the champion value in one trial', () => {
    const s = candidateSweepSpec(spec, 'retrain-champion', champion, 'run 1');
    expect(s).toMatchObject({ algorithm: 'grid', maxTrials: 1, fixed: { epochs: 3 } });
    expect(s.searchSpace.headLr).toEqual({ type: 'choice', values: [0.01] });
    expect(s.searchSpace.baseLr).toEqual({ type: 'choice', values: [0.001] });
    expect(() => parseSweepSpec(s)).not.toThrow();
  });

  it('sweep-around-champion is a small random sweep; without a champion the spec runs as written', () => {
    const s = candidateSweepSpec(spec, 'sweep-around-champion', champion, 'run 1');
    expect(s).toMatchObject({ algorithm: 'random', maxTrials: 4 });
    expect(() => parseSweepSpec(s)).not.toThrow();
    const first = candidateSweepSpec(spec, 'sweep-around-champion', null, 'run 1');
    expect(first.searchSpace).toEqual(spec.searchSpace);
    expect(first.name).toBe('digits · run 1');
  });
});

describe('canScoreOnHoldout', () => {
  const tfjs = { trainer: { name: 'tfjs' }, metric: { name: 'val_acc' } };
  it('needs the tfjs trainer, an accuracy metric and both saved models', () => {
    expect(canScoreOnHoldout(tfjs, '/c/model.json', '/ch/model.json')).toBe(true);
    expect(canScoreOnHoldout({ ...tfjs, trainer: { name: 'synthetic' } }, '/c', '/ch')).toBe(false);
    expect(canScoreOnHoldout({ ...tfjs, trainer: { command: ['python3'] } }, '/c', '/ch')).toBe(
      false,
    );
    expect(canScoreOnHoldout({ ...tfjs, metric: { name: 'val_loss' } }, '/c', '/ch')).toBe(false);
    expect(canScoreOnHoldout(tfjs, '', '/ch')).toBe(false);
    expect(canScoreOnHoldout(tfjs, '/c', null)).toBe(false);
  });
});
