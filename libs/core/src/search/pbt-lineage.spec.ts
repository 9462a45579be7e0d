import { describe, expect, it } from 'vitest';
import { pbtFamily, scheduleChanges } from './pbt-lineage';
import { twoMemberFamily } from './pbt-lineage.fixture';

describe('pbtFamily', () => {
  const trials = twoMemberFamily();

  it('lists who copied whom, when and with what change', () => {
    const family = pbtFamily(trials);
    expect(family.generations).toBe(2);
    expect(family.nodes[3]).toMatchObject({ trial: 3, member: 1, parent: 0, copied: true });
    expect(family.exploits).toEqual([
      {
        generation: 1,
        epoch: 2,
        member: 1,
        copiedFrom: 0,
        fromTrial: 0,
        toTrial: 3,
        changes: { lr: { from: 0.1, to: 0.08, how: 'perturb' } },
      },
    ]);
  });

  it('follows each final member back through the trials its weights came from', () => {
    const { schedules } = pbtFamily(trials);
    expect(schedules.map((s) => s.steps.map((st) => st.trial))).toEqual([
      [0, 2],
      [0, 3],
    ]);
    expect(schedules[1]!.steps[0]!.member).toBe(0);
    expect(scheduleChanges(schedules[1]!, ['lr'])).toEqual([['lr=0.1'], ['lr=0.08']]);
    expect(scheduleChanges(schedules[0]!, ['lr'])).toEqual([['lr=0.1'], []]);
  });

  it('is empty without trials', () => {
    expect(pbtFamily([])).toEqual({ generations: 0, nodes: [], exploits: [], schedules: [] });
  });
});
