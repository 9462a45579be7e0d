import { trainerMessageSchema, type TrainerMessage } from '@retune/core';

type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Writes protocol messages (validated against @retune/core's schema) as JSON lines. */
export interface Emitter {
  metric(epoch: number, step: number, values: Record<string, number>): void;
  checkpoint(epoch: number, path: string): void;
  log(level: LogLevel, msg: string): void;
  result(values: Record<string, number>, artifact?: string): void;
}

export function createEmitter(writeLine: (line: string) => void): Emitter {
  const send = (msg: TrainerMessage) => {
    const checked = trainerMessageSchema.parse(msg);
    writeLine(JSON.stringify(checked));
  };
  return {
    metric: (epoch, step, values) => send({ type: 'metric', epoch, step, values }),
    checkpoint: (epoch, path) => send({ type: 'checkpoint', epoch, path }),
    log: (level, msg) => send({ type: 'log', level, msg }),
    result: (values, artifact) =>
      send(
        artifact === undefined ? { type: 'result', values } : { type: 'result', values, artifact },
      ),
  };
}

/** Keeps values JSON can carry (NaN/Infinity would become null and break the protocol). */
export const finiteOnly = (values: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v)));

/** Rounds for stable, compact output. */
export const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
