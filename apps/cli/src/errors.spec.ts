import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError, UpstreamError } from '@retune/api';
import { CliError, exitCodeFor } from './errors';

describe('CLI exit codes', () => {
  it('maps domain errors and its own errors to exit codes with their message', () => {
    expect(exitCodeFor(new InvalidInputError('invalid sweep spec:\n  - algorithm: x'))).toEqual({
      code: 2,
      message: 'invalid sweep spec:\n  - algorithm: x',
    });
    expect(exitCodeFor(new NotFoundError('sweep sw_x')).code).toBe(1);
    expect(exitCodeFor(new ConflictError('already completed')).code).toBe(1);
    expect(exitCodeFor(new UpstreamError('cannot reach Temporal')).code).toBe(3);
    expect(exitCodeFor(new CliError('stopped watching', 130))).toEqual({
      code: 130,
      message: 'stopped watching',
    });
  });

  it('tells the user to migrate when the tables are missing', () => {
    const missingTable = Object.assign(new Error('The table `main.Sweep` does not exist'), {
      code: 'P2021',
    });
    expect(exitCodeFor(missingTable)).toEqual({
      code: 3,
      message: expect.stringContaining('npm run db:migrate'),
    });
  });

  it('shows the stack of anything unexpected', () => {
    expect(exitCodeFor(new TypeError('boom'))).toMatchObject({
      code: 1,
      message: expect.stringContaining('TypeError: boom'),
    });
  });
});
