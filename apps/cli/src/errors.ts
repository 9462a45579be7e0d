import { domainErrorKind } from '@retune/api';

/** An error the CLI itself raises, with the exit code to leave with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * Exit codes: 0 ok, 1 not found / conflict / sweep did not complete / unexpected, 2 bad input
 * (spec, YAML, arguments), 3 a service or the database is not ready, 130 stopped watching.
 */
export function exitCodeFor(err: unknown): { code: number; message: string } {
  if (err instanceof CliError) return { code: err.exitCode, message: err.message };
  switch (domainErrorKind(err)) {
    case 'invalid-input':
      return { code: 2, message: (err as Error).message };
    case 'not-found':
    case 'conflict':
    case 'unauthorized':
    case 'forbidden':
    case 'throttled':
      return { code: 1, message: (err as Error).message };
    case 'upstream':
      return { code: 3, message: (err as Error).message };
    case null:
      break;
  }
  if ((err as { code?: string } | null)?.code === 'P2021') {
    return {
      code: 3,
      message:
        'the database has no Retune tables yet: run `npm start` once, or `npm run db:migrate`',
    };
  }
  return { code: 1, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
