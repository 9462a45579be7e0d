import { describe, expect, it } from 'vitest';
import { renderPbtFamily } from './pbt-family';

describe('renderPbtFamily', () => {
  it('prints who copied whom and each final schedule, best first', () => {
    const text = renderPbtFamily({
      generations: 2,
      nodes: [],
      searched: ['lr'],
      exploits: [
        {
          generation: 1,
          epoch: 2,
          member: 1,
          copiedFrom: 0,
          fromTrial: 0,
          toTrial: 3,
          changes: { lr: { from: 0.1, to: 0.08, how: 'perturb' } },
        },
      ],
      schedules: [
        {
          member: 0,
          finalTrial: 2,
          objective: 0.7,
          steps: [
            { trial: 0, member: 0, startEpoch: 0, endEpoch: 2, params: { lr: 0.1, epochs: 2 } },
            { trial: 2, member: 0, startEpoch: 2, endEpoch: 4, params: { lr: 0.1, epochs: 4 } },
          ],
        },
        {
          member: 1,
          finalTrial: 3,
          objective: 0.75,
          steps: [
            { trial: 0, member: 0, startEpoch: 0, endEpoch: 2, params: { lr: 0.1, epochs: 2 } },
            { trial: 3, member: 1, startEpoch: 2, endEpoch: 4, params: { lr: 0.08, epochs: 4 } },
          ],
        },
      ],
    });
    expect(text).toContain('epoch 2: member 1 copied member 0 (trial 0 → 3): lr 0.1→0.08');
    const lines = text.split('\n');
    const m1 = lines.findIndex((l) => l.startsWith('  member 1 (trial 3, 0.75)'));
    const m0 = lines.findIndex((l) => l.startsWith('  member 0 (trial 2, 0.7)'));
    expect(m1).toBeGreaterThan(0);
    expect(m0).toBeGreaterThan(m1);
    expect(lines[m1]).toContain('0–2 (m0) lr=0.1 | 2–4 lr=0.08');
    expect(lines[m0]).toMatch(/2–4$/);
  });

  it('says when no interval has started', () => {
    expect(
      renderPbtFamily({ generations: 0, nodes: [], searched: [], exploits: [], schedules: [] }),
    ).toMatch(/no interval/);
  });
});
