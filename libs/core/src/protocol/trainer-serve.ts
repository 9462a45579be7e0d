import { z } from 'zod';
import { trainerInputSchema, type TrainerInput } from './trainer-input';

/**
 * Serve mode (docs/trainer-reuse.md): a trainer that declared it can take several trials is
 * started once with this variable set, reads one request per line on stdin and answers each
 * trial over the ordinary stdout protocol, ending it with its `result` line. A trial that fails
 * ends the process (non-zero exit), exactly as with a process per trial.
 */
export const TRAINER_MODE_ENV = 'RETUNE_TRAINER_MODE';
export const TRAINER_SERVE_MODE = 'serve';

export const serveRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('trial'), input: trainerInputSchema }).strict(),
  z.object({ type: z.literal('stop') }).strict(),
]);

export type ServeRequest = z.infer<typeof serveRequestSchema>;

/** The stdin line that hands a serving trainer its next trial. */
export const serveTrialLine = (input: TrainerInput): string =>
  `${JSON.stringify({ type: 'trial', input } satisfies ServeRequest)}\n`;

/** Parses one stdin line of a serving trainer; the error names what was wrong. */
export function parseServeRequest(
  line: string,
): { ok: true; request: ServeRequest } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, error: `serve request is not JSON: ${line.slice(0, 120)}` };
  }
  const parsed = serveRequestSchema.safeParse(json);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0]!;
  return {
    ok: false,
    error: `invalid serve request${issue.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue.message}`,
  };
}
