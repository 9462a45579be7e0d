import { describe, expect, it } from 'vitest';
import { withStoredSpecDefaults, type StoredSweepSpec } from './stored-spec';
import { parseSweepSpec } from './sweep-spec';

const current = parseSweepSpec({
  name: 's',
  dataset: 'd',
  baseModel: 'b',
  algorithm: 'random',
  maxTrials: 2,
  searchSpace: { lr: { type: 'uniform', min: 0, max: 1 } },
});

describe('withStoredSpecDefaults', () => {
  it('gives a spec stored before the later fields the schema defaults', () => {
    const {
      objectives: _o,
      constraints: _c,
      earlyStopping: _e,
      maxRetries: _m,
      heartbeatTimeoutSeconds: _h,
      ...old
    } = current;
    expect(withStoredSpecDefaults(old as StoredSweepSpec)).toEqual(current);
  });

  it('keeps what a spec says', () => {
    const spec = {
      ...current,
      maxRetries: 5,
      objectives: [{ name: 'x', goal: 'minimize' as const }],
    };
    expect(withStoredSpecDefaults(spec)).toEqual(spec);
  });
});
