import { describe, expect, it, vi } from 'vitest';
import { ConflictError, domainErrorKind, InvalidInputError, UpstreamError } from './errors';

describe('domain errors', () => {
  it('know their kind; other errors have none', () => {
    expect(domainErrorKind(new InvalidInputError('bad', []))).toBe('invalid-input');
    expect(domainErrorKind(new ConflictError('busy'))).toBe('conflict');
    expect(domainErrorKind(new Error('plain'))).toBeNull();
    expect(domainErrorKind({ kind: 'conflict' })).toBeNull();
    expect(domainErrorKind(undefined)).toBeNull();
  });

  it('are recognised when thrown by another copy of the module', async () => {
    vi.resetModules();
    const copy = await import('./errors');
    const foreign = new copy.UpstreamError('temporal is down');
    expect(foreign).not.toBeInstanceOf(UpstreamError);
    expect(domainErrorKind(foreign)).toBe('upstream');
  });
});
