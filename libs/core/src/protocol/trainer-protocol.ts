import { z } from 'zod';
import { deviceFactsSchema } from './device-facts';

/** JSON-lines protocol spoken by every trainer on stdout (see DESIGN.md "Trainer protocol"). */
const metricValues = z.record(z.string().min(1), z.number());

export const metricMessageSchema = z
  .object({
    type: z.literal('metric'),
    epoch: z.number().int().min(0),
    step: z.number().int().min(0).default(0),
    values: metricValues,
  })
  .strict();

export const checkpointMessageSchema = z
  .object({
    type: z.literal('checkpoint'),
    epoch: z.number().int().min(0),
    path: z.string().min(1),
  })
  .strict();

export const logMessageSchema = z
  .object({
    type: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    msg: z.string(),
    /** Optional: what this trial trains on (see device-facts.ts). */
    device: deviceFactsSchema.optional(),
  })
  .strict();

export const resultMessageSchema = z
  .object({ type: z.literal('result'), values: metricValues, artifact: z.string().optional() })
  .strict();

export const trainerMessageSchema = z.discriminatedUnion('type', [
  metricMessageSchema,
  checkpointMessageSchema,
  logMessageSchema,
  resultMessageSchema,
]);

export type TrainerMessage = z.infer<typeof trainerMessageSchema>;
export type ResultMessage = z.infer<typeof resultMessageSchema>;

export type ParsedLine =
  | { kind: 'message'; message: TrainerMessage }
  | { kind: 'blank' }
  | { kind: 'error'; error: string };

const MAX_ECHO = 120;
const echo = (s: string) => (s.length > MAX_ECHO ? `${s.slice(0, MAX_ECHO)}…` : s);

/** Parses one stdout line; errors name the line number and what was wrong. */
export function parseTrainerLine(line: string, lineNumber: number): ParsedLine {
  const text = line.trim();
  if (text === '') return { kind: 'blank' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {
      kind: 'error',
      error: `trainer protocol error on stdout line ${lineNumber}: not JSON: ${JSON.stringify(echo(text))} (trainers must print only JSON-lines messages on stdout; send logs to stderr or as {"type":"log"})`,
    };
  }
  const parsed = trainerMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
    return {
      kind: 'error',
      error: `trainer protocol error on stdout line ${lineNumber}: ${issue.message}${where} in ${JSON.stringify(echo(text))}`,
    };
  }
  return { kind: 'message', message: parsed.data };
}
