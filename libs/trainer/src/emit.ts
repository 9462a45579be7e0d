import {
  describeDeviceFacts,
  trainerMessageSchema,
  type DeviceFacts,
  type TrainerMessage,
} from '@retune/core';

type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Writes protocol messages (validated against @retune/core's schema) as JSON lines. */
export interface Emitter {
  metric(epoch: number, step: number, values: Record<string, number>): void;
  checkpoint(epoch: number, path: string): void;
  log(level: LogLevel, msg: string): void;
  /** Once per trial: what it trains on, as a log line carrying the facts. */
  device(facts: DeviceFacts): void;
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
    device: (facts) =>
      send({ type: 'log', level: 'info', msg: describeDeviceFacts(facts), device: facts }),
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
