import type { PbtTrialRow } from './pbt-lineage';

/** A stored PBT trial row: `copiedFrom` marks an exploit that perturbed lr. */
export function pbtRow(
  number: number,
  member: number,
  generation: number,
  parent: number | null,
  lr: number,
  copiedFrom?: number,
): PbtTrialRow {
  return {
    number,
    status: 'completed',
    objective: 0.5 + number / 10,
    params: { lr, epochs: (generation + 1) * 2 },
    pbt: {
      member,
      generation,
      startEpoch: generation * 2,
      endEpoch: (generation + 1) * 2,
      parent,
      ...(copiedFrom !== undefined
        ? { copiedFrom, changes: { lr: { from: 0.1, to: lr, how: 'perturb' } } }
        : {}),
    },
  };
}

/** Two members, two intervals: member 1 copies member 0 at epoch 2 (trial 3 continues trial 0). */
export function twoMemberFamily(): PbtTrialRow[] {
  return [
    pbtRow(0, 0, 0, null, 0.1),
    pbtRow(1, 1, 0, null, 0.001),
    pbtRow(2, 0, 1, 0, 0.1),
    pbtRow(3, 1, 1, 0, 0.08, 0),
  ];
}
