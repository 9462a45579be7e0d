import { describe, expect, it } from 'vitest';
import { MAX_SEARCHED_PARAMS } from './search-space';
import { parseSweepSpec, SpecError } from './sweep-spec';

const base = {
  name: 'limits',
  dataset: 'd',
  baseModel: 'b',
  algorithm: 'random',
  maxTrials: 3,
  searchSpace: { lr: { type: 'uniform', min: 0, max: 1 } },
};

function messages(input: unknown): string[] {
  try {
    parseSweepSpec(input);
  } catch (err) {
    return (err as SpecError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the spec to be rejected');
}

describe('spec limits and hints', () => {
  it('refuses a search space with more parameters than any sampler can use', () => {
    const searchSpace = Object.fromEntries(
      Array.from({ length: MAX_SEARCHED_PARAMS + 1 }, (_, i) => [
        `p${i}`,
        { type: 'uniform', min: 0, max: 1 },
      ]),
    );
    expect(messages({ ...base, searchSpace })).toEqual([
      expect.stringMatching(/^searchSpace: .* 65 parameters; at most 64 .*move the rest to fixed/),
    ]);
  });

  it('names a malformed trainer and lists the built-in ones (registered names are checked at launch)', () => {
    expect(messages({ ...base, trainer: { name: 'Py Torch' } })).toEqual([
      'trainer.name: "Py Torch" is not a trainer name: use { name: tfjs | synthetic | <registered trainer> } or { command: [executable, args…] }',
    ]);
    expect(parseSweepSpec({ ...base, trainer: { name: 'pytorch' } }).trainer).toEqual({
      name: 'pytorch',
    });
    expect(messages({ ...base, trainer: 'tfjs' })).toEqual([
      expect.stringMatching(/^trainer: not a trainer: use \{ name: tfjs/),
    ]);
    expect(parseSweepSpec({ ...base, trainer: { command: ['python3', 't.py'] } }).trainer).toEqual({
      command: ['python3', 't.py'],
    });
  });
});
