import { isBetter, type DeviceFacts, type ResultMessage, type TrainerMessage } from '@retune/core';
import type { TrialLogBuffer } from './log-buffer';
import type { MetricBuffer } from './metric-buffer';
import type { RunTrialInput, TrialHeartbeat } from './types';

export interface TrainerMessageSinks {
  input: Pick<RunTrialInput, 'number' | 'metric' | 'reportEpochs'>;
  metrics: Pick<MetricBuffer, 'add'>;
  logs: Pick<TrialLogBuffer, 'add'>;
  /** Heartbeat details, updated in place (epoch, last checkpoint). */
  state: TrialHeartbeat;
  heartbeat: (state: TrialHeartbeat) => void;
  /** Delivers rung values to the workflow; required when input.reportEpochs asks for any. */
  report: ((value: { number: number; epoch: number; value: number }) => Promise<void>) | null;
  warn: (message: string, attrs: Record<string, unknown>) => void;
  /** Stores the device facts a trainer sends on a log line (optional protocol field). */
  device?: (facts: DeviceFacts) => Promise<void>;
}

export interface TrainerMessageHandler {
  onMessage: (m: TrainerMessage) => Promise<void>;
  /** The trainer's result line, once it printed one. */
  result: () => ResultMessage | null;
  /** Best value of the sweep metric on the learning curve so far. */
  bestOnCurve: () => number | null;
}

/**
 * Routes each trainer message: metrics to the buffer (and rung values to the workflow for
 * early stopping), checkpoints to the heartbeat, logs to the log buffer, the result kept.
 */
export function handleTrainerMessages(sinks: TrainerMessageSinks): TrainerMessageHandler {
  const { input, state } = sinks;
  const reportAll = input.reportEpochs === 'all';
  const reportAt = new Set(Array.isArray(input.reportEpochs) ? input.reportEpochs : []);
  if ((reportAll || reportAt.size > 0) && !sinks.report) {
    throw new Error('this worker cannot report rung values (no Temporal client wired)');
  }
  let result: ResultMessage | null = null;
  let bestOnCurve: number | null = null;

  const onMetric = async (m: Extract<TrainerMessage, { type: 'metric' }>) => {
    state.epoch = m.epoch;
    const v = m.values[input.metric.name];
    if (v !== undefined && isBetter(v, bestOnCurve, input.metric.goal)) bestOnCurve = v;
    if (v !== undefined && (reportAll || reportAt.has(m.epoch))) {
      // The workflow may answer by cancelling this trial (pruned). A report lost to
      // a Temporal outage only skips one pruning decision: not worth the trial.
      await sinks.report!({ number: input.number, epoch: m.epoch, value: v }).catch(
        (err: unknown) => sinks.warn('rung report failed', { epoch: m.epoch, error: String(err) }),
      );
    }
    await sinks.metrics.add(
      Object.entries(m.values).map(([name, value]) => ({
        epoch: m.epoch,
        step: m.step,
        name,
        value,
      })),
    );
  };

  const onMessage = async (m: TrainerMessage) => {
    switch (m.type) {
      case 'metric':
        await onMetric(m);
        break;
      case 'checkpoint':
        state.lastCheckpoint = m.path;
        sinks.heartbeat(state);
        break;
      case 'result':
        result = m;
        break;
      case 'log':
        sinks.logs.add(m.level, m.msg);
        if (m.device && sinks.device) {
          const facts = m.device;
          // Not awaited: a database outage must not hold up the trainer's output; facts lost to
          // one cost only the trial page's device line.
          void sinks
            .device(facts)
            .catch((err: unknown) =>
              sinks.warn('storing the device facts failed', { facts, error: String(err) }),
            );
        }
        break;
    }
  };
  return { onMessage, result: () => result, bestOnCurve: () => bestOnCurve };
}
