import { describe, expect, it } from 'vitest';
import { scriptArg, scriptFlag, scriptNumber } from './script-args';

const argv = ['node', 'bench.ts', '--trials', '100,1000', '--slots', '8', '--verbose'];

describe('script arguments', () => {
  it('reads --name value, else the default', () => {
    expect(scriptArg('trials', '1', argv)).toBe('100,1000');
    expect(scriptArg('seconds', '1', argv)).toBe('1');
    expect(scriptNumber('slots', 4, argv)).toBe(8);
    expect(scriptNumber('runs', 15, argv)).toBe(15);
  });

  it('falls back when the option has no value, and reads flags', () => {
    expect(scriptArg('verbose', 'no', argv)).toBe('no');
    expect(scriptFlag('verbose', argv)).toBe(true);
    expect(scriptFlag('quiet', argv)).toBe(false);
  });
});
