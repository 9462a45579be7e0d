import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';

/** The TRPCError a call rejects with; fails the test if it resolves or throws something else. */
export async function trpcError(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(TRPCError);
    return err as TRPCError;
  }
  throw new Error('expected a TRPCError');
}

/** 'ok' when the call resolves, else its TRPCError code (or the other error's text). */
export const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (err: unknown) => (err instanceof TRPCError ? err.code : String(err)),
  );
